// `canbao recommend` end to end on the example roster.
#include <gtest/gtest.h>

#include "cli_run.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
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
    out << in.rdbuf() << "p31,,测试,female,1990-01-01,maybe,none,farmer,,,双龙村,village-b\n";
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

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool exists(const std::string& path) { return std::ifstream(path).good(); }

// File names in a directory, sorted, one per line.
std::string list_dir(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.insert(e.path().filename().string());
  std::string out;
  for (const auto& n : names) out += n + "\n";
  return out;
}

// The sample roster plus one row whose village (an extra column) is GBK: 王
// is CD F5 there. Before the fix this gave exit 3 and half a JSON file.
TEST(CliRecommend, InvalidUtf8IsAnInputErrorAndTheOutputFileIsLeftUntouched) {
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
  const std::string bad = canbao_test::unique_temp_path("gbk_roster.csv");
  {
    std::ifstream in(kRoster);
    std::ofstream out(bad, std::ios::binary);
    out << in.rdbuf() << "p31,,测试,female,1990-01-01,true,none,farmer,,,\xCD\xF5家村\n";
  }
  const std::string out = canbao_test::unique_temp_path("gbk_out.json");
  { std::ofstream(out) << "the previous run's output\n"; }
  const CliRun r = run("recommend " + kPolicy + " --roster " + bad + " --as-of 2023-06-30" +
                       " --format json --out " + out + " --rejects " + out + ".rejects");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  // The sample's names are UTF-8: a mixed file, never converted (docs/office-data.md).
  EXPECT_NE(r.err.find("gbk_roster.csv:32:11: not valid UTF-8 (byte 0xCD), while earlier lines "
                       "hold UTF-8 text: the file mixes encodings; save it again as UTF-8"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(read_text(out), "the previous run's output\n");
  EXPECT_FALSE(exists(out + ".rejects"));
  std::remove(out.c_str());
}

// Output files are written whole or not at all: a run that fails after the
// rejects were gathered (--explain names no row) leaves no rejects file, and
// no temporary file either.
TEST(CliRecommend, FailedRunLeavesNoOutputFiles) {
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
  const std::string dir = canbao_test::unique_temp_path("outdir");
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(std::filesystem::create_directory(dir));
  const CliRun r =
      run("recommend " + kPolicy + " --roster " + kRoster + " --as-of 2023-06-30" + " --rejects " +
          dir + "/rejects.csv --out " + dir + "/out.csv --explain nobody");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.err.find("--explain: no valid roster row has id \"nobody\""), std::string::npos)
      << r.err;
  EXPECT_EQ(list_dir(dir), "");
  // The same run with a real id writes both, and only them.
  const CliRun ok =
      run("recommend " + kPolicy + " --roster " + kRoster + " --as-of 2023-06-30" + " --rejects " +
          dir + "/rejects.csv --out " + dir + "/out.csv --explain p03");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  // CSV files start with the UTF-8 BOM (for Excel on Chinese Windows; docs/excel.md).
  EXPECT_EQ(read_text(dir + "/rejects.csv"),
            "\xEF\xBB\xBFline,column,reason,id,id_number,name,sex,birth_date,"
            "hukou_local,insurance_status,employment,"
            "resident_grade_yuan,flags,village,unit_id\n");
  EXPECT_EQ(read_text(dir + "/out.csv").rfind("\xEF\xBB\xBFid,age,scheme,", 0), 0u);
  EXPECT_EQ(list_dir(dir), "out.csv\nrejects.csv\n");
  std::filesystem::remove_all(dir);
}

TEST(CliRecommend, AsOfOutsideTheSupportedRangeNamesTheOptionAndRange) {
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
  const CliRun r = run("recommend " + kPolicy + " --roster " + kRoster + " --as-of 2300-01-01");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.err.find("canbao recommend: --as-of: 2300-01-01 is outside the supported range "
                       "1900-01-01..2200-12-31"),
            std::string::npos)
      << r.err;
  // The last supported day works.
  EXPECT_EQ(run("recommend " + kPolicy + " --roster " + kRoster + " --as-of 2200-12-31").exit_code,
            0);
}

}  // namespace

// A policy's declared facts come from their roster columns (docs/roster.md#declared-facts):
// the hand-worked answers of tests/unit/test_declared_facts.cpp, and --explain lists them.
TEST(CliRecommend, DeclaredFactsAreReadFromTheRosterAndExplained) {
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
  const std::string policy = CANBAO_SOURCE_DIR "/tests/data/policies/declared-facts.json";
  const std::string roster = CANBAO_SOURCE_DIR "/tests/data/rosters/declared-facts.csv";
  const CliRun r = run("recommend " + policy + " --roster " + roster + " --as-of 2023-06-30");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\nw1,53,none,,,2020-04-01,"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\nw2,53,employee,,,2025-05-01,"), std::string::npos);
  EXPECT_NE(r.output.find("\nw4,53,resident,"), std::string::npos);
  EXPECT_NE(r.output.find("\nw6,53,none,"), std::string::npos);
  EXPECT_NE(r.output.find("\nw7,53,employee,transfer_in;resume_payment,g2;g7,"), std::string::npos);
  const CliRun e =
      run("recommend " + policy + " --roster " + roster + " --as-of 2023-06-30 --explain w2");
  ASSERT_EQ(e.exit_code, 0) << e.output;
  EXPECT_NE(e.output.find("retirement_category: cadre (default)"), std::string::npos) << e.output;
  EXPECT_NE(e.output.find("prior_contribution_years: 0 (default)"), std::string::npos) << e.output;
}

// Years already paid (docs/facts.md#years-already-paid): the hand-worked
// answers of tests/unit/test_prior_contribution.cpp through the roster, and
// --explain prints them only when the policy names the fact.
TEST(CliRecommend, YearsAlreadyPaidAreCountedAndExplained) {
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
  const std::string policy = CANBAO_SOURCE_DIR "/tests/data/policies/prior-contribution.json";
  const std::string roster = CANBAO_SOURCE_DIR "/tests/data/rosters/prior-contribution.csv";
  const CliRun r = run("recommend " + policy + " --roster " + roster + " --as-of 2024-06-30");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\nm0,54,resident,,g1,2031-08-01,"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\nm8,54,resident,,,2031-08-01,"), std::string::npos);
  EXPECT_NE(r.output.find("\nm9,54,employee,,,2031-08-01,"), std::string::npos);
  EXPECT_NE(r.output.find("\nm16,54,employee,,g2,2031-08-01,"), std::string::npos);
  EXPECT_NE(r.output.find("\nw0,39,resident,,g1,2043-07-01,"), std::string::npos);
  EXPECT_NE(r.output.find("\nw1,39,employee,,g1,2043-07-01,"), std::string::npos);
  const CliRun e =
      run("recommend " + policy + " --roster " + roster + " --as-of 2024-06-30 --explain m8");
  ASSERT_EQ(e.exit_code, 0) << e.output;
  EXPECT_NE(
      e.output.find("contributable:      85 months (minimum 192)\n"
                    "already paid:       96 months (96 still needed, reaches the minimum: no)\n"),
      std::string::npos)
      << e.output;
  const CliRun w =
      run("recommend " + policy + " --roster " + roster + " --as-of 2024-06-30 --explain w1");
  EXPECT_NE(
      w.output.find("already paid:       12 months (228 still needed, reaches the minimum: yes)\n"),
      std::string::npos)
      << w.output;
  // This fixture declares prior_contribution_years but does not name it as years paid.
  const CliRun none = run("recommend " CANBAO_SOURCE_DIR
                          "/tests/data/policies/declared-facts.json --roster " CANBAO_SOURCE_DIR
                          "/tests/data/rosters/declared-facts.csv --as-of 2023-06-30 --explain w2");
  ASSERT_EQ(none.exit_code, 0) << none.output;
  EXPECT_EQ(none.output.find("already paid:"), std::string::npos) << none.output;
}
