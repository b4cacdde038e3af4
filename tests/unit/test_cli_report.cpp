// `canbao report`, `canbao payouts` and `canbao score`, run as a user would run them.
#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "cli_run.hpp"

#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>

namespace {

const std::string kPolicy =
    std::string(CANBAO_SOURCE_DIR) + "/examples/policies/000-xx-town-2021.json";
const std::string kProgress =
    std::string(CANBAO_SOURCE_DIR) + "/examples/progress/000-xx-town-2021.csv";

using canbao_test::CliRun;
using canbao_test::run_cli;

std::string example_args(const std::string& command, const std::string& as_of = "2021-12-31") {
  return command + " \"" + kPolicy + "\" --progress \"" + kProgress + "\" --as-of " + as_of;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string call(const std::string& op, const std::string& as_of) {
  const auto policy = canbao::load_policy_file(kPolicy);
  return canbao::call_json(*policy, nlohmann::json{{"op", op},
                                                   {"as_of", as_of},
                                                   {"progress_csv", read_text(kProgress)},
                                                   {"progress_csv_name", kProgress}}
                                        .dump());
}

#define REQUIRE_CLI() \
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built"

TEST(ReportCli, TextReportOnTheExample) {
  REQUIRE_CLI();
  const CliRun r = run_cli(example_args("report"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_EQ(r.out.rfind("XX镇2021年基本养老保险参保扩面征缴专项行动实施方案\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("截至 [as of]:          2021-12-31"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("东风村 dongfeng"), std::string::npos);
  EXPECT_NE(r.out.find("6779.60"), std::string::npos);
  EXPECT_NE(r.out.find("通报表扬"), std::string::npos);
}

TEST(ReportCli, JsonFormatsPrintExactlyWhatCallJsonAnswers) {
  REQUIRE_CLI();
  for (const char* as_of : {"2021-09-15", "2021-12-31"}) {
    CliRun r = run_cli(example_args("report", as_of) + " --format json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, call("report", as_of) + "\n");
    r = run_cli(example_args("payouts", as_of) + " --format json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, call("payouts", as_of) + "\n");
    r = run_cli(example_args("score", as_of) + " --format=json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, call("scores", as_of) + "\n");
  }
  const auto j = nlohmann::json::parse(run_cli(example_args("payouts") + " --format json").out);
  EXPECT_EQ(j["total_fen"], 677960);
}

TEST(ReportCli, PayoutsAndScoreTextAndCsv) {
  REQUIRE_CLI();
  CliRun r = run_cli(example_args("payouts"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("工作经费 [work fund]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("6779.60"), std::string::npos);
  EXPECT_EQ(r.out.find("考核得分"), std::string::npos);  // only its own section
  r = run_cli(example_args("payouts") + " --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find(
          "\ndongfeng,东风村,2021-08-31,tier,1,2021-09-30,1.00,1234,2021-08-31,1234.00,123400\n"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n,合计,,,,,,,,6779.60,677960\n"), std::string::npos) << r.out;
  r = run_cli(example_args("score") + " --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // grade, grade_name, grade_by_score (the grade the points alone give), eligible
  EXPECT_NE(
      r.out.find("\n4,heping,和平社区,108,108000000,commend,通报表扬,commend,true,2021-10-15,8,"),
      std::string::npos)
      << r.out;
  r = run_cli(example_args("score"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("评先评优"), std::string::npos) << r.out;
}

TEST(ReportCli, UsageErrorsNameTheOptionAndExitTwo) {
  REQUIRE_CLI();
  CliRun r = run_cli(example_args("report", "2021-02-30"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--as-of: 2021-02-30 is not a date"), std::string::npos) << r.err;
  r = run_cli(example_args("payouts", "21-12-31"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--as-of:"), std::string::npos) << r.err;
  r = run_cli("report \"" + kPolicy + "\" --as-of 2021-12-31");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--progress: is required"), std::string::npos) << r.err;
  // (xlsx and html became formats of report in issue 13: an unknown one is still refused)
  r = run_cli(example_args("report") + " --format csv");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--format: the report has many tables"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--format xlsx --out FILE"), std::string::npos) << r.err;
  r = run_cli(example_args("report") + " --format pdf");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--format: expected one of text, json, xlsx, html, got \"pdf\""),
            std::string::npos)
      << r.err;
  r = run_cli("score --progress x.csv --as-of 2021-12-31");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("POLICY"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(ReportCli, BadInputNamesFileLineAndColumnAndExitsOne) {
  REQUIRE_CLI();
  const std::string csv = canbao_test::unique_temp_path("bad_progress.csv");
  {
    std::ofstream f(csv);
    f << "unit_id,metric,date,value\n"
         "dongfeng,resident_enrolled,2021-06-01,1080\n"
         "dongfeng,resident_paid,2021-06-31,310\n";
  }
  for (const char* format : {"text", "json"}) {
    const CliRun r = run_cli("report \"" + kPolicy + "\" --progress \"" + csv +
                             "\" --as-of 2021-12-31 --format " + format);
    EXPECT_EQ(r.exit_code, 1) << format;
    EXPECT_NE(r.err.find(csv + ":3:3: 2021-06-31 is not a date"), std::string::npos)
        << format << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  CliRun r = run_cli("report \"" + kPolicy + "\" --progress /nonexistent/p.csv --as-of 2021-12-31");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/p.csv"), std::string::npos) << r.err;
  r = run_cli("payouts /nonexistent/policy.json --progress \"" + kProgress +
              "\" --as-of 2021-12-31");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/policy.json"), std::string::npos) << r.err;
}

TEST(ReportCli, HelpOnEveryCommandHasAnExample) {
  REQUIRE_CLI();
  for (const char* command : {"report", "payouts", "score"}) {
    const CliRun r = run_cli(std::string(command) + " --help");
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_EQ(
        r.out.rfind(std::string("usage: canbao ") + command + " POLICY --progress CSV --as-of DATE",
                    0),
        0u)
        << r.out;
    EXPECT_NE(r.out.find("example: canbao " + std::string(command)), std::string::npos) << r.out;
  }
  const CliRun r = run_cli("--help");
  for (const char* command : {"report", "payouts", "score"}) {
    EXPECT_NE(r.out.find(std::string("  ") + command + " "), std::string::npos) << command;
  }
}

TEST(ReportCli, AsOfOutsideTheSupportedRangeNamesTheOptionAndRange) {
  REQUIRE_CLI();
  for (const char* command : {"report", "payouts", "score"}) {
    const CliRun r = run_cli(example_args(command, "2300-01-01"));
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find(std::string("canbao ") + command +
                         ": --as-of: 2300-01-01 is outside the supported range "
                         "1900-01-01..2200-12-31"),
              std::string::npos)
        << r.err;
  }
}

// 000 with a first-tier rate of 2^62 fen per person: every payout overflows,
// but scores need no payouts (issue 9).
TEST(ReportCli, ScoreWorksWhenTheWorkFundOverflows) {
  REQUIRE_CLI();
  nlohmann::json policy;
  {
    std::ifstream in(kPolicy);
    in >> policy;
  }
  policy["work_fund"]["tiers"][0]["per_person_fen"] = std::int64_t{1} << 62;
  const std::string path = canbao_test::unique_temp_path("overflow-policy.json");
  { std::ofstream(path) << policy.dump(); }
  const std::string args =
      " \"" + path + "\" --progress \"" + kProgress + "\" --as-of 2021-12-31 --format ";
  const CliRun expected = run_cli(example_args("score") + " --format csv");
  ASSERT_EQ(expected.exit_code, 0) << expected.output;
  for (const char* format : {"text", "csv", "json"}) {
    const CliRun r = run_cli("score" + args + format);
    EXPECT_EQ(r.exit_code, 0) << format << ": " << r.err;
    if (std::string(format) == "csv") {
      EXPECT_EQ(r.out, expected.out);
    }
  }
  const CliRun payouts = run_cli("payouts" + args + "text");
  EXPECT_EQ(payouts.exit_code, 1) << payouts.output;
  std::remove(path.c_str());
}

}  // namespace

// A folder given as the progress or roster file: a plain error naming it, exit
// 1 (the zero-copy readers of issue 15 once let the C++ library's own
// "basic_filebuf::underflow" text out as an internal error).
TEST(ReportCli, AFolderAsInputIsNamedNotAnInternalError) {
  REQUIRE_CLI();
  const std::string folder = CANBAO_SOURCE_DIR "/examples";
  const CliRun p =
      run_cli("payouts \"" + kPolicy + "\" --progress \"" + folder + "\" --as-of 2021-12-31");
  EXPECT_EQ(p.exit_code, 1) << p.err;
  EXPECT_NE(p.err.find(folder + ": is a folder, not a file"), std::string::npos) << p.err;
  const CliRun r = run_cli("recommend \"" CANBAO_SOURCE_DIR
                           "/examples/policies/004-shiyan-2023.json\" --roster \"" +
                           folder + "\" --as-of 2023-06-30");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(folder + ": is a folder, not a file"), std::string::npos) << r.err;
}
