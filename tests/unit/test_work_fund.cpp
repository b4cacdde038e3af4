#include <canbao/evaluation.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace canbao;

namespace {

const std::string data_dir = std::string(CANBAO_SOURCE_DIR) + "/tests/data/progress/";

std::string policy_text() {
  std::ifstream in(data_dir + "tiers-policy.json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

// v1..v4 each have 1,234 insured and complete on 09-30, 10-01, 11-30 and 12-01.
WorkFundResult payouts(const std::string& policy_json, const char* as_of = "2021-12-31") {
  const PolicyPtr p = load_policy(policy_json, "tiers-policy.json");
  const Progress g = read_progress_csv_file(p, data_dir + "tiers-progress.csv");
  const Date day = *parse_iso_date(as_of);
  return evaluate_work_fund(g, day, completion_dates(g, day));
}

}  // namespace

TEST(WorkFund, VillageFinishingByFirstDeadlineGetsOneYuanPerInsuredPerson) {
  const WorkFundResult r = payouts(policy_text());
  const WorkFundPayout& v1 = r.payouts[0];
  EXPECT_EQ(v1.unit_id, "v1");
  EXPECT_EQ(v1.completed_on, parse_iso_date("2021-09-30"));
  EXPECT_EQ(v1.status, WorkFundStatus::tier);
  EXPECT_EQ(v1.tier, 0);
  EXPECT_EQ(v1.basis, 1234);
  EXPECT_EQ(v1.amount, Fen(123'400));
  EXPECT_EQ(v1.amount.yuan_string(), "1234.00");
}

TEST(WorkFund, VillageFinishingOnSecondDeadlineGets80FenPerPerson) {
  const WorkFundResult r = payouts(policy_text());
  const WorkFundPayout& v2 = r.payouts[1];
  EXPECT_EQ(v2.completed_on, parse_iso_date("2021-10-01"));
  EXPECT_EQ(v2.tier, 1);
  EXPECT_EQ(v2.deadline, parse_iso_date("2021-10-15"));
  EXPECT_EQ(v2.per_person, Fen(80));
  EXPECT_EQ(v2.amount, Fen(98'720));
  EXPECT_EQ(v2.amount.yuan_string(), "987.20");
}

TEST(WorkFund, VillageFinishingOnTheLastDeadlineDayGets60FenPerPerson) {
  const WorkFundResult r = payouts(policy_text());
  const WorkFundPayout& v3 = r.payouts[2];
  EXPECT_EQ(v3.tier, 2);
  EXPECT_EQ(v3.amount, Fen(74'040));
  EXPECT_EQ(v3.amount.yuan_string(), "740.40");
}

TEST(WorkFund, VillageFinishingAfterEveryDeadlineGetsNothingUnderTheZeroLateRule) {
  const WorkFundResult r = payouts(policy_text());
  const WorkFundPayout& v4 = r.payouts[3];
  EXPECT_EQ(v4.completed_on, parse_iso_date("2021-12-01"));
  EXPECT_EQ(v4.status, WorkFundStatus::late);
  EXPECT_EQ(v4.tier, -1);
  EXPECT_EQ(v4.amount, Fen(0));
  EXPECT_EQ(r.total, Fen(123'400 + 98'720 + 74'040));
}

TEST(WorkFund, VillageFinishingAfterEveryDeadlineGetsTheLateRatePerPersonWhenThePolicySetsOne) {
  const std::string text =
      replaced(policy_text(), R"("rule": "zero")", R"("rule": "per_person", "per_person_fen": 30)");
  const WorkFundResult r = payouts(text);
  EXPECT_EQ(r.payouts[3].status, WorkFundStatus::late);
  EXPECT_EQ(r.payouts[3].per_person, Fen(30));
  EXPECT_EQ(r.payouts[3].amount, Fen(37'020));
  EXPECT_EQ(r.total, Fen(123'400 + 98'720 + 74'040 + 37'020));
}

TEST(WorkFund, UnfinishedVillageIsNotPaidWhileADeadlineIsStillOpen) {
  const WorkFundResult r = payouts(policy_text(), "2021-10-10");
  EXPECT_EQ(r.payouts[0].status, WorkFundStatus::tier);
  EXPECT_EQ(r.payouts[1].status, WorkFundStatus::tier);  // completed 10-01 <= as_of
  EXPECT_EQ(r.payouts[2].status, WorkFundStatus::not_complete);
  EXPECT_FALSE(r.payouts[2].completed_on);
  EXPECT_EQ(r.payouts[2].amount, Fen(0));
}

TEST(WorkFund, ObservationsAfterAsOfAreNotRead) {
  // As of 09-30 only v1 has reported: the later reports do not exist yet.
  const WorkFundResult r = payouts(policy_text(), "2021-09-30");
  EXPECT_EQ(r.payouts[0].amount, Fen(123'400));
  EXPECT_EQ(r.payouts[3].basis, 0);
  EXPECT_EQ(r.total, Fen(123'400));
}

TEST(WorkFund, FixedBasisDateCountsInsuredOnThatDay) {
  const std::string text =
      replaced(policy_text(), R"("as_of": "completion_date")", R"("as_of": "2021-06-30")");
  const WorkFundResult r = payouts(text);
  EXPECT_EQ(r.payouts[0].basis_on, *parse_iso_date("2021-06-30"));
  EXPECT_EQ(r.payouts[0].basis, 0);  // nothing was reported by 06-30
  EXPECT_EQ(r.payouts[0].amount, Fen(0));
}

TEST(WorkFund, AmountThatOverflowsInt64FenIsAnOverflowErrorNamingTheUnit) {
  const std::string text = replaced(policy_text(), R"("per_person_fen": 100)",
                                    R"("per_person_fen": 9000000000000000000)");
  try {
    payouts(text);
    FAIL() << "expected an OverflowError";
  } catch (const OverflowError& e) {
    EXPECT_EQ(e.where(), "work_fund");
    EXPECT_NE(std::string(e.what()).find("unit \"v1\""), std::string::npos) << e.what();
  }
}

TEST(WorkFund, TotalThatOverflowsNamesTheUnitWhoseAmountTippedItAndTheBasisMetric) {
  // v1 (tier 1) gets 7.2e15 x 1,234 = 8.8848e18 fen and v2 (tier 2) 7.1e15 x
  // 1,234 = 8.7614e18: each fits in int64 (9.22e18), their sum does not.
  std::string text =
      replaced(policy_text(), R"("per_person_fen": 100)", R"("per_person_fen": 7200000000000000)");
  text = replaced(text, R"("per_person_fen": 80)", R"("per_person_fen": 7100000000000000)");
  try {
    payouts(text);
    FAIL() << "expected an OverflowError";
  } catch (const OverflowError& e) {
    EXPECT_EQ(e.where(), "work_fund");
    EXPECT_NE(std::string(e.what()).find("total overflows int64 fen when adding unit \"v2\""),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("\"resident_enrolled\""), std::string::npos) << e.what();
  }
}
