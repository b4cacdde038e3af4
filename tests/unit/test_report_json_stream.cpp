// The one-line report, payouts and scores JSON are streamed element by
// element (src/report_json_stream.cpp, issue 15); pretty printing still
// builds the whole DOM. Both must print the same document: the one-line bytes
// equal the indented text parsed and dumped on one line (nlohmann sorts keys
// both ways), for every example campaign with progress, on several days.
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <canbao/canbao.hpp>

namespace {

using namespace canbao;

struct Example {
  const char* policy;
  const char* progress;
  const char* days[3];
};

// 000: work fund and scores; 001: milestones and averages; 003: segments
// (sectors) and late reports; 004: a second year's targets.
const Example kExamples[] = {
    {"000-xx-town-2021", "000-xx-town-2021", {"2021-07-15", "2021-10-31", "2021-12-31"}},
    {"001-chengjiang-2021", "001-chengjiang-2021", {"2021-06-30", "2021-09-30", "2021-12-31"}},
    {"003-hengyang", "003-hengyang", {"2021-06-30", "2021-09-30", "2021-12-31"}},
    {"004-shiyan-2023", "004-shiyan-2023", {"2023-06-30", "2023-09-30", "2023-12-31"}},
};

template <class Write>
std::string one_line_and_dom(Write write, std::string* dom) {
  std::ostringstream line, pretty;
  write(line, -1);
  write(pretty, 2);
  *dom = nlohmann::json::parse(pretty.str()).dump() + "\n";
  return line.str();
}

TEST(ReportJsonStream, OneLineEqualsTheWholeDomForEveryExample) {
  int reports = 0;
  for (const Example& e : kExamples) {
    const PolicyPtr policy = load_policy_file(std::string(CANBAO_SOURCE_DIR) +
                                              "/examples/policies/" + e.policy + ".json");
    const Progress progress = read_progress_csv_file(
        policy, std::string(CANBAO_SOURCE_DIR) + "/examples/progress/" + e.progress + ".csv");
    for (const char* day : e.days) {
      SCOPED_TRACE(std::string(e.policy) + " as of " + day);
      const CampaignReport r = make_report(progress, *parse_iso_date(day));
      std::string dom;
      const std::string line = one_line_and_dom(
          [&](std::ostream& out, int indent) { write_report_json(r, out, indent); }, &dom);
      EXPECT_EQ(line, dom);
      // Per-unit arrays are really there (the streamed parts): one completion per unit.
      EXPECT_EQ(nlohmann::json::parse(line)["completions"].size(), policy->units.units.size());
      if (r.work_fund) {
        EXPECT_EQ(one_line_and_dom(
                      [&](std::ostream& out, int indent) {
                        write_work_fund_json(*r.work_fund, r.as_of, out, indent);
                      },
                      &dom),
                  dom);
      }
      if (r.ranking) {
        EXPECT_EQ(one_line_and_dom([&](std::ostream& out,
                                       int indent) { write_ranking_json(*r.ranking, out, indent); },
                                   &dom),
                  dom);
      }
      ++reports;
    }
  }
  EXPECT_EQ(reports, 12);
}

}  // namespace
