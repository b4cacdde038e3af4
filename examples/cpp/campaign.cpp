// The C++ API end to end, as in docs/getting-started-cpp.md:
//   campaign POLICY_000 PROGRESS_000 POLICY_004
// 1. XX town 2021 (seed 000): the work-fund payout of each village as of 2021-12-31.
// 2. Shiyan 2023 (seed 004): which scheme a 33-year-old local man should join.
#include <iostream>

#include <canbao/canbao.hpp>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: campaign POLICY_000 PROGRESS_000 POLICY_004\n";
    return 2;
  }
  try {
    const canbao::PolicyPtr town = canbao::load_policy_file(argv[1]);
    const canbao::Progress progress = canbao::read_progress_csv_file(town, argv[2]);
    const canbao::Date year_end = *canbao::Date::from_ymd(2021, 12, 31);

    const auto completions = canbao::completion_dates(progress, year_end);
    const canbao::WorkFundResult fund = canbao::evaluate_work_fund(progress, year_end, completions);
    for (const canbao::WorkFundPayout& p : fund.payouts) {
      std::cout << p.unit_id << ' ';
      if (p.status == canbao::WorkFundStatus::tier) {
        std::cout << "tier " << p.tier + 1;  // tiers count from 1 for people, from 0 in code
      } else {
        std::cout << canbao::work_fund_status_name(p.status);
      }
      std::cout << ' ' << p.amount.yuan_string() << " yuan\n";
    }
    std::cout << "total " << fund.total.yuan_string() << " yuan\n";

    const canbao::PolicyPtr shiyan = canbao::load_policy_file(argv[3]);
    canbao::Person man;
    man.sex = canbao::Sex::male;
    man.birth_date = *canbao::Date::from_ymd(1990, 1, 1);
    man.hukou_local = true;
    const canbao::Recommendation r =
        canbao::recommend(*shiyan, man, *canbao::Date::from_ymd(2023, 6, 30));
    std::cout << "scheme " << canbao::scheme_name(r.scheme) << ": " << r.reason_en() << '\n';
  } catch (const canbao::Error& e) {  // e.where() names the JSON path or file:line:column
    std::cerr << e.what() << '\n';
    return 1;
  }
}
