// `canbao retirement` and `canbao id`, run as a user would run them.
#include <array>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

CliRun run_cli(const std::string& args) {
  CliRun r;
  const std::string cmd = std::string("\"") + CANBAO_CLI_PATH + "\" " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 512> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

#define REQUIRE_CLI()                                                  \
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built"

TEST(RetirementCli, MenBornJanuary1965PrintSixtyYearsOneMonthRetiringFebruary2025) {
  REQUIRE_CLI();
  const CliRun r = run_cli("retirement --sex male --birth 1965-01");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("statutory age:        60 years 1 month\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("retirement month:     2025-02"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("retirement date:      2025-03-01"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("delay:                1 month\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("minimum contribution: 15 years 0 months (180 months"), std::string::npos);
  EXPECT_NE(r.out.find("flexible earliest:    60 years 0 months (2025-01"), std::string::npos);
  EXPECT_NE(r.out.find("flexible latest:      63 years 1 month (2028-02"), std::string::npos);
}

TEST(RetirementCli, JsonForWomenOriginallyFiftyBornNovember1984ReachesFiftyFive) {
  REQUIRE_CLI();
  const CliRun r = run_cli("retirement --sex female --birth 1984-11 --original-age 50 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
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
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["original_age_years"], 55);
  EXPECT_EQ(j["statutory_age"]["years"], 58);
  EXPECT_EQ(j["retirement_month"], "2039-09");
}

TEST(RetirementCli, BadArgumentsAreUsageErrorsNamingTheOption) {
  REQUIRE_CLI();
  CliRun r = run_cli("retirement --sex male --birth 1965-01 --original-age 55");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--original-age: must be 60 for men, 55 or 50 for women; got 55 for sex male"),
            std::string::npos)
      << r.out;
  r = run_cli("retirement --sex M --birth 1965-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--sex: expected male or female, got \"M\""), std::string::npos) << r.out;
  r = run_cli("retirement --sex male --birth 1965-13");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--birth: month must be 01..12"), std::string::npos) << r.out;
  r = run_cli("retirement --sex male --birth 1965-01-15");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--birth: expected a birth month as YYYY-MM"), std::string::npos) << r.out;
  r = run_cli("retirement --sex male");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--birth: is required"), std::string::npos) << r.out;
  r = run_cli("retirement --sex male --birth 1965-01 --format xml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--format: expected text or json"), std::string::npos) << r.out;
}

TEST(RetirementCli, HelpExplainsTheRuleAndOptions) {
  REQUIRE_CLI();
  const CliRun r = run_cli("retirement --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--original-age"), std::string::npos);
  EXPECT_NE(r.out.find("2024-09-13"), std::string::npos);
}

TEST(IdCli, ValidNumberPrintsMaskedFormBirthDateAndSexButNeverTheNumber) {
  REQUIRE_CLI();
  const CliRun r = run_cli("id 11010519491231002X");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "valid\nmasked:     110105********002X\nbirth date: 1949-12-31\nsex:        female\n");
}

TEST(IdCli, InvalidNumberExitsOneWithReasonAndMaskedForm) {
  REQUIRE_CLI();
  const CliRun r = run_cli("id 110105194912310021");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("110105********0021: check character should be X"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("110105194912310021"), std::string::npos) << r.out;
}

TEST(IdCli, NumberCanBeReadFromStandardInput) {
  REQUIRE_CLI();
  const CliRun r = run_cli("id - --format json < /dev/null");
  EXPECT_EQ(r.exit_code, 1);
  const auto j = nlohmann::json::parse(r.out.substr(0, r.out.find("}\n") + 2));
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["reason"], "expected 15 or 18 characters, got 0");
}

}  // namespace

namespace {

TEST(IdCli, BadBirthDateWithholdsTheMaskedFormSoTheNumberCannotBeReassembled) {
  REQUIRE_CLI();
  const CliRun r = run_cli("id 11010519491332002X");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("birth date 19491332 is not a date"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("110105"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("002X"), std::string::npos) << r.out;
}

}  // namespace
