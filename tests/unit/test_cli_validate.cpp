// Runs the built `canbao validate` (CANBAO_CLI_PATH) on good and bad policies.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "cli_run.hpp"

namespace {

using canbao_test::CliRun;
using canbao_test::run_cli;

std::string fixture(const std::string& name) {
  return std::string(CANBAO_SOURCE_DIR) + "/tests/data/policies/" + name;
}

class CliValidate : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "the CLI is not built";
  }
};

}  // namespace

TEST_F(CliValidate, EveryExamplePolicyIsValid) {
  int count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(CANBAO_SOURCE_DIR) + "/examples/policies")) {
    if (entry.path().extension() != ".json") continue;
    ++count;
    const CliRun r = run_cli("validate \"" + entry.path().string() + "\"");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(": ok (fingerprint "), std::string::npos) << r.output;
  }
  EXPECT_EQ(count, 7);  // 000, 001, 002 Huangshan and Jinzhou, 003, 004 and its variant
}

TEST_F(CliValidate, ValidPolicyPrintsItsFingerprintAndCounts) {
  const CliRun r = run_cli("validate \"" + fixture("valid-small.json") + "\"");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3 units, 1 metrics"), std::string::npos) << r.output;
}

TEST_F(CliValidate, NonexistentDateIsReportedWithItsPath) {
  const CliRun r = run_cli("validate \"" + fixture("bad-date-2023-02-29.json") + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
      r.output.find("bad-date-2023-02-29.json: campaign.phases[0].end: 2023-02-29 is not a date "
                    "(2023 is not a leap year)"),
      std::string::npos)
      << r.output;
}

TEST_F(CliValidate, NegativeTargetIsReportedWithItsPath) {
  const CliRun r = run_cli("validate \"" + fixture("bad-negative-target.json") + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("units[2].targets.resident_enrolled: must be >= 0, got -5"),
            std::string::npos)
      << r.output;
}

TEST_F(CliValidate, UnknownKeyIsReportedWithItsPath) {
  const CliRun r = run_cli("validate \"" + fixture("bad-unknown-key.json") + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("units[1].tagets: unknown key"), std::string::npos) << r.output;
}

TEST_F(CliValidate, UnitThatIsItsOwnAncestorIsReportedWithThePath) {
  const CliRun r = run_cli("validate \"" + fixture("bad-own-ancestor.json") + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("units[1].parent: unit \"v1\" is its own ancestor (v1 -> v2 -> v1)"),
            std::string::npos)
      << r.output;
}

TEST_F(CliValidate, OneBadPolicyAmongGoodOnesFailsTheRunButReportsAll) {
  const CliRun r = run_cli("validate \"" + fixture("valid-small.json") + "\" \"" +
                           fixture("bad-negative-target.json") + "\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("valid-small.json: ok"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("must be >= 0, got -5"), std::string::npos) << r.output;
}

TEST_F(CliValidate, MissingFileAndNoArgumentsAreReported) {
  const CliRun missing = run_cli("validate /nonexistent/policy.json");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("/nonexistent/policy.json: cannot open"), std::string::npos)
      << missing.output;
  EXPECT_EQ(run_cli("validate").exit_code, 2);
  const CliRun help = run_cli("validate --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("usage: canbao validate POLICY..."), std::string::npos);
}
