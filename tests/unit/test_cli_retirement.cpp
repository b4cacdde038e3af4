// `canbao retirement` and `canbao id`, run as a user would run them.
#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "cli_run.hpp"

namespace {

using canbao_test::CliRun;
using canbao_test::run_cli;

#define REQUIRE_CLI() \
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built"

TEST(RetirementCli, MenBornJanuary1965PrintSixtyYearsOneMonthRetiringFebruary2025) {
  REQUIRE_CLI();
  const CliRun r = run_cli("retirement --sex male --birth 1965-01");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("statutory age:        60 years 1 month\n"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("retirement month:     2025-02"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("retirement date:      2025-03-01"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("delay:                1 month\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("minimum contribution: 15 years 0 months (180 months"),
            std::string::npos);
  EXPECT_NE(r.output.find("flexible earliest:    60 years 0 months (2025-01"), std::string::npos);
  EXPECT_NE(r.output.find("flexible latest:      63 years 1 month (2028-02"), std::string::npos);
}

TEST(RetirementCli, JsonForWomenOriginallyFiftyBornNovember1984ReachesFiftyFive) {
  REQUIRE_CLI();
  const CliRun r =
      run_cli("retirement --sex female --birth 1984-11 --original-age 50 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["statutory_age"]["years"], 55);
  EXPECT_EQ(j["statutory_age"]["months"], 0);
  EXPECT_EQ(j["statutory_age_months"], 660);
  EXPECT_EQ(j["delay_months"], 60);
  EXPECT_EQ(j["retirement_month"], "2039-11");
  EXPECT_EQ(j["retirement_date"], "2039-12-01");
  EXPECT_EQ(j["minimum_contribution_months"], 240);
  EXPECT_EQ(j["flexible_earliest"]["age"]["years"], 52);
  EXPECT_EQ(j["flexible_earliest"]["month"], "2036-11");
  EXPECT_EQ(j["flexible_latest"]["month"], "2042-11");
}

TEST(RetirementCli, WomenDefaultToOriginalAgeFiftyFive) {
  REQUIRE_CLI();
  const CliRun r = run_cli("retirement --sex female --birth 1981-09 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["original_age_years"], 55);
  EXPECT_EQ(j["statutory_age"]["years"], 58);
  EXPECT_EQ(j["retirement_month"], "2039-09");
}

TEST(RetirementCli, BadArgumentsAreUsageErrorsNamingTheOption) {
  REQUIRE_CLI();
  CliRun r = run_cli("retirement --sex male --birth 1965-01 --original-age 55");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(
      r.output.find("--original-age: must be 60 for men, 55 or 50 for women; got 55 for sex male"),
      std::string::npos)
      << r.output;
  r = run_cli("retirement --sex M --birth 1965-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--sex: expected male or female, got \"M\""), std::string::npos)
      << r.output;
  r = run_cli("retirement --sex male --birth 1965-13");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--birth: month must be 01..12"), std::string::npos) << r.output;
  r = run_cli("retirement --sex male --birth 1965-01-15");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--birth: expected a birth month as YYYY-MM"), std::string::npos)
      << r.output;
  r = run_cli("retirement --sex male");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--birth: is required"), std::string::npos) << r.output;
  r = run_cli("retirement --sex male --birth 1965-01 --format xml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--format: expected text or json"), std::string::npos) << r.output;
}

TEST(RetirementCli, HelpExplainsTheRuleAndOptions) {
  REQUIRE_CLI();
  const CliRun r = run_cli("retirement --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("--original-age"), std::string::npos);
  EXPECT_NE(r.output.find("2024-09-13"), std::string::npos);
}

TEST(IdCli, ValidNumberPrintsBirthDateOrMaskedFormButNeverBothSinceTogetherTheySpellTheNumber) {
  REQUIRE_CLI();
  CliRun r = run_cli("id 11010519491231002X");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "valid\nbirth date: 1949-12-31\nsex:        female\n");
  r = run_cli("id 11010519491231002X --masked");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "valid\nmasked:     110105********002X\nsex:        female\n");
  r = run_cli("id 11010519491231002X --format json");
  EXPECT_EQ(r.output.find("110105"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1949-12-31"), std::string::npos) << r.output;
  r = run_cli("id 11010519491231002X --masked --format json");
  EXPECT_EQ(r.output.find("1949-12-31"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("110105********002X"), std::string::npos) << r.output;
}

TEST(IdCli, InvalidNumberExitsOneWithReasonAndMaskedForm) {
  REQUIRE_CLI();
  const CliRun r = run_cli("id 110105194912310021");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("110105********0021: check character should be X"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("110105194912310021"), std::string::npos) << r.output;
}

TEST(IdCli, NumberCanBeReadFromStandardInput) {
  REQUIRE_CLI();
  const CliRun r = run_cli("id - --format json < /dev/null");
  EXPECT_EQ(r.exit_code, 1);
  const auto j = nlohmann::json::parse(r.output.substr(0, r.output.find("}\n") + 2));
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["reason"], "expected 15 or 18 characters, got 0");
}

// Bytes that are not UTF-8 (a GBK-encoded line): the masked form keeps the
// first 6 and last 4 bytes, which may cut a character. Before, the JSON writer
// threw and the command ended with exit 3, "internal error".
TEST(IdCli, NumberWithBytesThatAreNotUtf8IsInvalidNotAnInternalError) {
  REQUIRE_CLI();
  const std::string path = canbao_test::unique_temp_path("id-not-utf8.txt");
  {
    std::ofstream(path, std::ios::binary) << "\xB2\xB2"
                                             "110105194912310\xE7\x94\n";
  }
  const CliRun r = run_cli("id - --masked --format json < \"" + path + "\"");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["masked"],
            "\xEF\xBF\xBD\xEF\xBF\xBD"
            "1101*********10\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(j["reason"], "expected 15 or 18 characters, got 19");
  std::remove(path.c_str());
}

}  // namespace

namespace {

TEST(IdCli, BadBirthDateWithholdsTheMaskedFormSoTheNumberCannotBeReassembled) {
  REQUIRE_CLI();
  const CliRun r = run_cli("id 11010519491332002X");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("birth date 19491332 is not a date"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("110105"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("002X"), std::string::npos) << r.output;
}

}  // namespace
