// The writers layer: every public write_*_json writes, with indent -1, exactly
// the bytes call_json answers for the same question (plus a newline), since
// both go through the library's one JSON builder per result; indent 2 is the
// same value pretty-printed; the CSV writers quote fields by RFC 4180.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include <canbao/calendar.hpp>
#include <canbao/compare.hpp>
#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/progress.hpp>
#include <canbao/recommender.hpp>
#include <canbao/reform.hpp>
#include <canbao/report.hpp>
#include <canbao/resident_id.hpp>
#include <canbao/result_json.hpp>
#include <canbao/retirement.hpp>

namespace canbao {
namespace {

const std::string kDir = CANBAO_SOURCE_DIR "/examples/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Date day(const char* iso) { return *parse_iso_date(iso); }

// call_json's answer for `request`, as the CLI prints it (one line + "\n").
std::string answer(const Policy* policy, const nlohmann::json& request) {
  return call_json(policy, request.dump()) + "\n";
}

template <class Write>
std::string written(Write write) {
  std::ostringstream out;
  write(out);
  return out.str();
}

struct Campaign {
  PolicyPtr policy = load_policy_file(kDir + "policies/000-xx-town-2021.json");
  std::string csv = read_file(kDir + "progress/000-xx-town-2021.csv");
  Progress progress = read_progress_csv_file(policy, kDir + "progress/000-xx-town-2021.csv");
  nlohmann::json request(const char* op, const char* as_of) const {
    return {{"op", op}, {"as_of", as_of}, {"progress_csv", csv}};
  }
};

TEST(Writers, CampaignJsonWritersWriteCallJsonsBytes) {
  const Campaign c;
  for (const char* as_of : {"2021-06-30", "2021-09-30", "2021-12-31"}) {
    SCOPED_TRACE(as_of);
    const CampaignReport r = make_report(c.progress, day(as_of));
    ASSERT_TRUE(r.work_fund && r.ranking);
    EXPECT_EQ(written([&](std::ostream& o) { write_report_json(r, o, -1); }),
              answer(c.policy.get(), c.request("report", as_of)));
    EXPECT_EQ(written([&](std::ostream& o) { write_work_fund_json(*r.work_fund, r.as_of, o, -1); }),
              answer(c.policy.get(), c.request("payouts", as_of)));
    EXPECT_EQ(written([&](std::ostream& o) { write_ranking_json(*r.ranking, o, -1); }),
              answer(c.policy.get(), c.request("scores", as_of)));

    // Completions and milestones are the report's parts of the same name (the
    // report adds each unit's value_on_due to a milestone).
    nlohmann::json report =
        nlohmann::json::parse(answer(c.policy.get(), c.request("report", as_of)));
    EXPECT_EQ(written([&](std::ostream& o) { write_completions_json(r.completions, o, -1); }),
              report["completions"].dump() + "\n");
    std::vector<MilestoneResult> milestones;
    for (const MilestoneReport& m : r.milestones) milestones.push_back(m.result);
    for (auto& m : report["milestones"]) {
      for (auto& u : m["units"]) u.erase("value_on_due");
    }
    EXPECT_EQ(written([&](std::ostream& o) { write_milestones_json(milestones, o, -1); }),
              report["milestones"].dump() + "\n");
  }
}

TEST(Writers, IndentPrettyPrintsTheSameValue) {
  const Campaign c;
  const CampaignReport r = make_report(c.progress, day("2021-12-31"));
  const std::string line = written([&](std::ostream& o) { write_report_json(r, o, -1); });
  const std::string pretty = written([&](std::ostream& o) { write_report_json(r, o); });
  EXPECT_EQ(pretty, nlohmann::json::parse(line).dump(2) + "\n");
  EXPECT_NE(pretty.find("\n  \"as_of\": \"2021-12-31\""), std::string::npos);
}

TEST(Writers, PersonAndCalendarJsonWritersWriteCallJsonsBytes) {
  const PolicyPtr policy = load_policy_file(kDir + "policies/004-shiyan-2023.json");
  Person person;
  person.sex = Sex::female;
  person.birth_date = day("1980-05-01");
  person.hukou_local = true;
  const Date as_of = day("2023-06-30");
  EXPECT_EQ(written([&](std::ostream& o) {
              write_recommendation_json(recommend(*policy, person, as_of), o, -1);
            }),
            answer(policy.get(),
                   {{"op", "recommend"},
                    {"as_of", "2023-06-30"},
                    {"person",
                     {{"sex", "female"}, {"birth_date", "1980-05-01"}, {"hukou_local", true}}}}));

  const PolicyPtr town = load_policy_file(kDir + "policies/000-xx-town-2021.json");
  for (const char* d : {"2021-07-01", "2020-01-01"}) {
    EXPECT_EQ(written([&](std::ostream& o) {
                write_phases_json(phases_on(town->campaign, day(d)), o, -1);
              }),
              answer(town.get(), {{"op", "phases_on"}, {"date", d}}));
  }

  EXPECT_EQ(
      written([&](std::ostream& o) {
        write_retirement_json(statutory_retirement(Sex::female, YearMonth{1975, 3}, 55), o, -1);
      }),
      answer(nullptr, {{"op", "retirement"},
                       {"sex", "female"},
                       {"birth", "1975-03-10"},
                       {"original_age", 55}}));
}

TEST(Writers, ResidentIdJsonNeverEchoesTheNumber) {
  const std::string number = "11010519491231002X";  // GB 11643-1999's example
  const std::string out =
      written([&](std::ostream& o) { write_resident_id_json(ResidentId::parse(number), o, -1); });
  EXPECT_EQ(out, answer(nullptr, {{"op", "parse_id"}, {"number", number}}));
  EXPECT_EQ(out, R"({"birth_date":"1949-12-31","region_code":"110105","sex":"female"})"
                 "\n");
  EXPECT_EQ(out.find("002X"), std::string::npos);
}

TEST(Writers, ComparisonJsonWritesCallJsonsBytes) {
  const Campaign c;
  const std::string patch = read_file(kDir + "patches/000-second-tier-90.merge.json");
  const PolicyPtr reform = apply_reform(*c.policy, patch);
  const ReformComparison cmp = compare(
      c.policy, reform, nullptr, progress_from_csv_text(c.csv, "progress_csv"), day("2021-12-31"));
  EXPECT_EQ(written([&](std::ostream& o) { write_comparison_json(cmp, o, -1); }),
            answer(c.policy.get(), {{"op", "compare"},
                                    {"as_of", "2021-12-31"},
                                    {"patch", nlohmann::json::parse(patch)},
                                    {"progress_csv", c.csv}}));
}

TEST(Writers, CsvFieldsWithCommasQuotesOrLineEndsAreQuoted) {
  // The provenance patch is JSON: commas and quotes, so the field is quoted
  // and its quotes doubled; a plain field is left as is.
  const Campaign c;
  const PolicyPtr reform = apply_reform(*c.policy, R"({"work_fund":{"payer":"a, \"b\"\nc"}})");
  const ReformComparison cmp = compare(
      c.policy, reform, nullptr, progress_from_csv_text(c.csv, "progress_csv"), day("2021-12-31"));
  const std::string csv = written([&](std::ostream& o) { write_comparison_csv(cmp, o); });
  EXPECT_NE(csv.find(R"(,merge_patch,"{""work_fund"":{""payer"":""a, \""b\""\nc""}}")"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\n2021-12-31," + c.policy->fingerprint() + ","), std::string::npos);
}

}  // namespace
}  // namespace canbao
