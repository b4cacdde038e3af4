// `canbao values`, run as a user would run it, on seed 001's example.
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
    std::string(CANBAO_SOURCE_DIR) + "/examples/policies/001-chengjiang-2021.json";
const std::string kProgress =
    std::string(CANBAO_SOURCE_DIR) + "/examples/progress/001-chengjiang-2021.csv";

using canbao_test::CliRun;
using canbao_test::run_cli;

std::string args(const std::string& extra) {
  return "values \"" + kPolicy + "\" --progress \"" + kProgress + "\" --as-of 2021-12-31 " + extra;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

#define REQUIRE_CLI() \
  if (std::string(CANBAO_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built"

}  // namespace

TEST(ValuesCli, TextShowsTheCityWeightedAverageWithTargetAndShortfall) {
  REQUIRE_CLI();
  const CliRun r = run_cli(args("--unit chengjiang --metric resident_contribution_avg"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // (352x6081 + 331x33230 + 335x20313 + 300x9296 + 330x7350 + 333x19090) / 95360
  // = 31515767 / 95360 = 330.49 yuan against 330: met, shortfall 0.00.
  EXPECT_NE(r.out.find("澄江市 chengjiang"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("resident_contribution_avg  330.49  330.00       0.00  汇总 [rolled up]  "
                       "2021-12-31\n"),
            std::string::npos)
      << r.out;
}

TEST(ValuesCli, CountsAreWholeAndRatesArePercent) {
  REQUIRE_CLI();
  // 海口镇 enrolled 13280 of 13550 on 12-31: short by 270.
  const CliRun count = run_cli(args("--unit haikou --metric resident_enrolled"));
  ASSERT_EQ(count.exit_code, 0) << count.err;
  EXPECT_NE(count.out.find("13280   13550        270  本级 [own]"), std::string::npos) << count.out;
  // The city's pneumoconiosis coverage 530/600 = 88.33% against 90%: short by
  // 1/60 = 1.666...%, cut to 1.66%.
  const CliRun rate = run_cli(args("--unit chengjiang --metric pneumoconiosis_work_injury_rate"));
  ASSERT_EQ(rate.exit_code, 0) << rate.err;
  EXPECT_NE(rate.out.find("88.33%"), std::string::npos) << rate.out;
}

TEST(ValuesCli, JsonIsTheBytesOfCallJsonAndCsvHasItsColumns) {
  REQUIRE_CLI();
  const CliRun r = run_cli(args("--metric resident_to_employee --format json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto policy = canbao::load_policy_file(kPolicy);
  const std::string want =
      canbao::call_json(*policy, nlohmann::json{{"op", "values"},
                                                {"as_of", "2021-12-31"},
                                                {"metric", "resident_to_employee"},
                                                {"progress_csv", read_text(kProgress)}}
                                     .dump());
  EXPECT_EQ(r.out, want + "\n");
  const CliRun csv = run_cli(args("--unit jiucun --metric resident_to_employee --format csv"));
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  // 九村镇's conversions are its villages' 22 + 14 + 8 + 7 = 51 against 50: met.
  EXPECT_EQ(
      csv.out,
      "unit_id,unit_name,metric,metric_name,kind,value,target,shortfall,own,last_observed\n"
      "jiucun,九村镇,resident_to_employee,城乡居民基本养老保险转企业职工基本养老保险人数,count,"
      "51,50,0,false,2021-12-31\n");
}

TEST(ValuesCli, UnknownIdsAndOptionsNameTheOption) {
  REQUIRE_CLI();
  const CliRun unit = run_cli(args("--unit haikuo"));
  EXPECT_EQ(unit.exit_code, 2) << unit.output;
  EXPECT_NE(unit.err.find("--unit: no unit \"haikuo\" in the policy (closest: haikou"),
            std::string::npos)
      << unit.err;
  const CliRun metric = run_cli(args("--metric enrolled"));
  EXPECT_NE(metric.err.find("--metric: no metric \"enrolled\""), std::string::npos) << metric.err;
  const CliRun twice = run_cli(args("--unit haikou --unit lujv"));
  EXPECT_NE(twice.err.find("--unit: given more than once"), std::string::npos) << twice.err;
}
