// `canbao recommend` end to end on the example roster.
#include <gtest/gtest.h>

#include "cli_run.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace {

using canbao_test::CliRun;
CliRun run(const std::string& args) { return canbao_test::run_cli(args); }

const std::string kPolicy = CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json";
const std::string kRoster = CANBAO_SOURCE_DIR "/examples/rosters/004-sample.csv";

TEST(CliRecommend, SampleRosterGivesTheIssueVectors) {
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
  const CliRun r = run("recommend " + kPolicy + " --roster " + kRoster + " --as-of 2023-06-30");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\np01,43,employee,enroll_employee,g8,"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\np02,41,resident,enroll_resident,g8,"), std::string::npos);
  EXPECT_NE(r.output.find("\np03,61,resident,enroll_resident;back_pay,g8,"), std::string::npos);
  EXPECT_NE(r.output.find("\np04,50,resident,enroll_resident;government_pays,g6,"),
            std::string::npos);
  EXPECT_NE(r.output.find("\np05,33,employee,convert_to_employee,g5,"), std::string::npos);
  EXPECT_NE(r.output.find("\np06,30,employee,enroll_employee,g3,"), std::string::npos);
  EXPECT_NE(r.output.find("canbao recommend: 30 persons"), std::string::npos);
  EXPECT_EQ(r.output.find("500115198003012010"), std::string::npos);
}

TEST(CliRecommend, ExplainShowsFiredRowsWithTheIdNumberMasked) {
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
  const CliRun r =
      run("recommend " + kPolicy + " --roster " + kRoster + " --as-of 2023-06-30 --explain p03");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("500115********2052"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("500115196205012052"), std::string::npos);
  EXPECT_NE(r.output.find("recommendation.tables[0].rows[4]"), std::string::npos);
  EXPECT_NE(r.output.find("source: 004 三(二)2"), std::string::npos);
}

TEST(CliRecommend, BadRowStopsWithLineAndColumnUnlessRejectsAreKept) {
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
  const std::string bad = canbao_test::unique_temp_path("bad_roster.csv");
  {
    std::ifstream in(kRoster);
    std::ofstream out(bad);
    out << in.rdbuf() << "p31,,测试,female,1990-01-01,maybe,none,farmer,,,双龙村\n";
  }
  const CliRun stop = run("recommend " + kPolicy + " --roster " + bad + " --as-of 2023-06-30");
  EXPECT_EQ(stop.exit_code, 1);
  EXPECT_NE(stop.output.find("bad_roster.csv:32:6: expected true, false, 1 or 0"),
            std::string::npos)
      << stop.output;
  const std::string rejects = canbao_test::unique_temp_path("rejects.csv");
  const CliRun go = run("recommend " + kPolicy + " --roster " + bad +
                        " --as-of 2023-06-30 --rejects " + rejects + " --format json");
  EXPECT_EQ(go.exit_code, 0) << go.output;
  EXPECT_NE(go.output.find("30 persons"), std::string::npos) << go.output;
  EXPECT_NE(go.output.find("1 rows rejected"), std::string::npos);
  std::ifstream rej(rejects);
  std::stringstream text;
  text << rej.rdbuf();
  EXPECT_NE(text.str().find("32,6,\"expected true, false, 1 or 0, got \"\"maybe\"\"\""),
            std::string::npos)
      << text.str();
}

TEST(CliRecommend, MissingAsOfIsAUsageError) {
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
  EXPECT_EQ(run("recommend " + kPolicy + " --roster " + kRoster).exit_code, 2);
}

}  // namespace
