// `canbao payouts`: the work fund (工作经费) per paid unit as of a day.
#include <ostream>
#include <sstream>

#include <canbao/error.hpp>
#include <canbao/json_api.hpp>
#include <canbao/report.hpp>

#include "campaign_input.hpp"
#include "command.hpp"

namespace {

const char* kUsage =
    "usage: canbao payouts POLICY --progress CSV --as-of DATE [--format text|json|csv]\n"
    "\n"
    "The deadline-tiered work fund as of DATE: for each paid unit its completion date,\n"
    "status (tier, late, not_complete), tier, rate in yuan per person, basis count and\n"
    "the day it was taken, and the amount; then the total. Money is exact (fen) and\n"
    "printed as yuan with two decimals.\n"
    "\n"
    "  POLICY        policy JSON with a work_fund section\n"
    "  --progress    progress CSV: unit_id,metric,date,value\n"
    "  --as-of       the day, YYYY-MM-DD (1900-01-01..2200-12-31)\n"
    "  --format      text (default), json (the same bytes as call_json\n"
    "                {\"op\":\"payouts\",...}) or csv (columns in docs/report.md)\n"
    "\n"
    "example: canbao payouts examples/policies/000-xx-town-2021.json \\\n"
    "           --progress examples/progress/000-xx-town-2021.csv --as-of 2021-12-31 --format "
    "csv\n";

int run(const std::vector<std::string>& argv, std::ostream& masked_out, std::ostream&) {
  const auto in = canbao::cli::read_campaign_input(argv, {"text", "json", "csv"});
  if (!in.policy->work_fund)
    throw canbao::PolicyError(in.policy_path + ": work_fund", "the policy has no work fund");
  if (in.format == "json") {
    std::ostringstream out;
    out << canbao::call_json(*in.policy, canbao::cli::campaign_request("payouts", in)) << "\n";
    canbao::cli::write_masked(masked_out, out.str(), in);
    return 0;
  }
  // Payouts need no scores: a scoring problem must not stop them.
  const auto report = canbao::make_report(canbao::cli::read_campaign_progress(in), in.as_of,
                                          {/*milestones=*/false, /*work_fund=*/true,
                                           /*ranking=*/false});
  std::ostringstream out;
  if (in.format == "csv") {
    canbao::write_payouts_csv(*report.work_fund, *in.policy, out);
  } else {
    canbao::write_report_header(report, out);
    canbao::write_work_fund_text(report, *in.policy, out);
  }
  canbao::cli::write_masked(masked_out, out.str(), in);
  return 0;
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{
    "payouts", "work-fund payout per unit with its tier, and the total", kUsage, run});
