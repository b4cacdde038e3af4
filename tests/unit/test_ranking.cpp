#include <canbao/ranking.hpp>

#include <canbao/error.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace canbao;

namespace {

const std::string data_dir = std::string(CANBAO_SOURCE_DIR) + "/tests/data/progress/";

Date d(const char* iso) { return *parse_iso_date(iso); }

UnitScore scored(int unit, std::int64_t points, std::optional<Date> completed = std::nullopt) {
  UnitScore s;
  s.unit = unit;
  s.unit_id = "u" + std::to_string(unit);
  s.total_micro_points = points * micro_points_per_point;
  s.completed_on = completed;
  return s;
}

std::vector<int> ranks(const std::vector<UnitScore>& units) {
  std::vector<int> out;
  for (const auto& u : units) out.push_back(u.rank);
  return out;
}

// tiers-policy.json plus a scoring section: enrollment 60 points, payment 40,
// both capped at 110%; 10 bonus points by 09-30; 0.001 points off per
// should-enroll person, at most 1 (a deduction that is easy to drive).
PolicyPtr scoring_policy(const std::string& tie_breakers, int v1_enrollment_target = 1200) {
  std::ifstream in(data_dir + "tiers-policy.json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  const std::string scoring = R"("scoring": {
    "ranked_units": {"level": "village"},
    "indicators": [
      {"id": "enrollment", "name": "参保", "metric": "resident_enrolled", "weight": 60, "cap": "110%"},
      {"id": "payment", "name": "缴费", "metric": "resident_paid", "weight": 40, "cap": "110%"}],
    "timeliness": [{"by": "2021-09-30", "points": 10}],
    "deductions": [{"id": "unpaid", "metric": "resident_should_enroll", "points_per_count": "0.001", "max_points": 1}],
    "grades": [{"grade": "commend", "name": "通报表扬", "min_score": 100},
               {"grade": "pass", "name": "合格", "min_score": 60},
               {"grade": "criticise", "name": "通报批评", "min_score": 0}],
    "tie_breakers": )" + tie_breakers +
                              R"(},
  "work_fund")";
  const std::string v1_target = R"("resident_enrolled": 1200)";
  text.replace(text.find(v1_target), v1_target.size(),
               "\"resident_enrolled\": " + std::to_string(v1_enrollment_target));
  const auto at = text.find("\"work_fund\"");
  return load_policy(text.replace(at, std::string("\"work_fund\"").size(), scoring),
                     "scoring-policy");
}

}  // namespace

TEST(Ranking, EqualScoresShareARankAndTheNextRankSkips) {
  std::vector<UnitScore> units{scored(0, 85), scored(1, 90), scored(2, 70), scored(3, 85)};
  rank_units(units, {});
  EXPECT_EQ(ranks(units), (std::vector<int>{1, 2, 2, 4}));
  // Listing: by rank, equals in policy order.
  EXPECT_EQ(units[0].unit, 1);
  EXPECT_EQ(units[1].unit, 0);
  EXPECT_EQ(units[2].unit, 3);
  EXPECT_EQ(units[3].unit, 2);
}

TEST(Ranking, EarlierCompletionSplitsEqualScores) {
  std::vector<UnitScore> units{scored(0, 85, d("2021-10-15")), scored(1, 90, d("2021-11-30")),
                               scored(2, 70), scored(3, 85, d("2021-09-30"))};
  rank_units(units, {TieBreaker::earlier_completion});
  EXPECT_EQ(ranks(units), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(units[1].unit, 3);  // completed 09-30, before unit 0's 10-15
  EXPECT_EQ(units[2].unit, 0);
}

TEST(Ranking, NeverCompletedRanksAfterCompletedOnEqualScoreAndTwoNeverCompletedStayTied) {
  std::vector<UnitScore> units{scored(0, 80), scored(1, 80, d("2021-12-01")), scored(2, 80)};
  rank_units(units, {TieBreaker::earlier_completion});
  EXPECT_EQ(ranks(units), (std::vector<int>{1, 2, 2}));
  EXPECT_EQ(units[0].unit, 1);
  rank_units(units, {TieBreaker::earlier_completion, TieBreaker::unit_order});
  EXPECT_EQ(ranks(units), (std::vector<int>{1, 2, 3}));
}

TEST(Scoring, IndicatorIsWeightTimesCappedCompletionRoundedTowardZeroOnce) {
  const PolicyPtr p = scoring_policy(R"([])");
  // v1: 1300 / 1200 enrolled (108.3%), 1200 / 1000 paid (capped at 110%), complete 09-30.
  // v2: 1000 / 1200 enrolled, 700 / 1000 paid, never complete.
  const Progress g =
      Progress::from_records(p, {{"v1", "resident_enrolled", d("2021-09-30"), 1300},
                                 {"v1", "resident_paid", d("2021-09-30"), 1200},
                                 {"v2", "resident_enrolled", d("2021-09-30"), 1000},
                                 {"v2", "resident_paid", d("2021-09-30"), 700},
                                 {"v2", "resident_should_enroll", d("2021-09-30"), 1500}});
  const Date as_of = d("2021-12-31");
  const Ranking r = score_and_rank(g, as_of, completion_dates(g, as_of));
  ASSERT_EQ(r.units.size(), 4u);
  const UnitScore& v1 = r.units[0];
  EXPECT_EQ(v1.unit_id, "v1");
  EXPECT_EQ(v1.indicators[0].micro_points, 65'000'000);  // 60 x 1300/1200 = 65 exactly
  EXPECT_EQ(*v1.indicators[0].completion, Ratio(13, 12));
  EXPECT_EQ(v1.indicators[1].micro_points, 44'000'000);  // 40 x 110%
  EXPECT_EQ(v1.bonus_micro_points, 10'000'000);
  EXPECT_EQ(v1.total_micro_points, 119'000'000);
  EXPECT_EQ(v1.grade, "commend");
  EXPECT_TRUE(v1.eligible_for_awards);
  const UnitScore& v2 = r.units[1];
  EXPECT_EQ(v2.indicators[0].micro_points, 50'000'000);  // 60 x 1000/1200
  EXPECT_EQ(v2.indicators[1].micro_points, 28'000'000);
  EXPECT_EQ(v2.deductions[0].count, 1500);
  EXPECT_EQ(v2.deductions[0].micro_points, 1'000'000);  // 1.5 points capped at max_points 1
  EXPECT_EQ(v2.total_micro_points, 77'000'000);
  EXPECT_EQ(points_string(v2.total_micro_points), "77");
  EXPECT_EQ(v2.grade, "pass");
  EXPECT_FALSE(v2.eligible_for_awards);
  ASSERT_EQ(v2.missed_targets.size(), 2u);
  EXPECT_EQ(v2.missed_targets[0].metric_id, "resident_enrolled");
  // Units with nothing reported score 0 and share the last rank.
  EXPECT_EQ(r.units[2].rank, 3);
  EXPECT_EQ(r.units[3].rank, 3);
}

TEST(Scoring, FractionalPointsAreTruncatedTowardZeroAtMicroPointPrecision) {
  const PolicyPtr p = scoring_policy(R"([])", 1199);
  // 60 x 1000/1199 = 50.04170141784... -> 50.041701, not rounded up to ...702.
  const Progress g =
      Progress::from_records(p, {{"v1", "resident_enrolled", d("2021-09-30"), 1000}});
  const Ranking r = score_and_rank(g, d("2021-12-31"), completion_dates(g, d("2021-12-31")));
  EXPECT_EQ(r.units[0].indicators[0].micro_points, 50'041'701);
  EXPECT_EQ(points_string(r.units[0].indicators[0].micro_points), "50.041701");
  EXPECT_EQ(points_string(333'333), "0.333333");
  EXPECT_EQ(points_string(-1'500'000), "-1.5");
}

TEST(Scoring, UnitThatMissedATargetIsNotEligibleForAwardsEvenWithTheTopScore) {
  // 003: 未完成目标任务的...不能评先、评优. v1 overshoots enrollment (capped 110%) and
  // tops the ranking, but its payment falls short of its target.
  const PolicyPtr p = scoring_policy(R"([])");
  const Progress g = Progress::from_records(p, {{"v1", "resident_enrolled", d("2021-09-30"), 2000},
                                                {"v1", "resident_paid", d("2021-09-30"), 990},
                                                {"v2", "resident_enrolled", d("2021-10-20"), 1200},
                                                {"v2", "resident_paid", d("2021-10-20"), 1000}});
  const Ranking r = score_and_rank(g, d("2021-12-31"), completion_dates(g, d("2021-12-31")));
  // v1: 60 x 110% + 40 x 99% = 105.6; v2: 100, complete after the bonus date.
  EXPECT_EQ(r.units[0].total_micro_points, 105'600'000);
  EXPECT_EQ(r.units[0].unit_id, "v1");
  EXPECT_EQ(r.units[0].rank, 1);
  // Commendation (通报表扬) is an award: v1 gets the best band that is not one.
  EXPECT_EQ(r.units[0].grade, "pass");
  EXPECT_EQ(r.units[0].grade_by_score, "commend");
  EXPECT_FALSE(r.units[0].eligible_for_awards);
  ASSERT_EQ(r.units[0].missed_targets.size(), 1u);
  EXPECT_EQ(r.units[0].missed_targets[0].metric_id, "resident_paid");
  EXPECT_EQ(r.units[1].unit_id, "v2");
  EXPECT_TRUE(r.units[1].eligible_for_awards);
  EXPECT_EQ(r.units[1].grade, "commend");  // 60 + 40 = 100: commended
  EXPECT_EQ(r.units[1].grade_by_score, "commend");
}

TEST(Scoring, PolicyNamesTheGradeOfAUnitThatMissedATarget) {
  // Same figures; the policy says such a unit is criticised, not passed.
  std::string text = to_json(*scoring_policy(R"([])"));
  const std::string key = "\"awards_require_targets_met\": true,";
  text.replace(text.find(key), key.size(),
               key + "\n\"best_grade_when_targets_missed\": \"criticise\",");
  const PolicyPtr p = load_policy(text);
  const Progress g = Progress::from_records(p, {{"v1", "resident_enrolled", d("2021-09-30"), 2000},
                                                {"v1", "resident_paid", d("2021-09-30"), 990}});
  const Ranking r = score_and_rank(g, d("2021-12-31"), completion_dates(g, d("2021-12-31")));
  EXPECT_EQ(r.units[0].unit_id, "v1");
  EXPECT_EQ(r.units[0].grade, "criticise");
  EXPECT_EQ(r.units[0].grade_by_score, "commend");
  // A unit whose total reaches only "pass" is lowered to "criticise" too.
  const Progress g2 = Progress::from_records(p, {{"v1", "resident_enrolled", d("2021-09-30"), 1200},
                                                 {"v1", "resident_paid", d("2021-09-30"), 800}});
  const Ranking r2 = score_and_rank(g2, d("2021-12-31"), completion_dates(g2, d("2021-12-31")));
  // 60 x 100% + 40 x 80% = 92: "pass" by score, target missed.
  EXPECT_EQ(r2.units[0].total_micro_points, 92'000'000);
  EXPECT_EQ(r2.units[0].grade_by_score, "pass");
  EXPECT_EQ(r2.units[0].grade, "criticise");
  // The choice survives the canonical round trip (and so the fingerprint sees it).
  EXPECT_EQ(load_policy(to_json(*p))->fingerprint(), p->fingerprint());
  EXPECT_NE(p->fingerprint(), scoring_policy(R"([])")->fingerprint());
}

TEST(Scoring, GradeForMissedTargetsMustBeANonAwardBandOfThePolicy) {
  std::string text = to_json(*scoring_policy(R"([])"));
  const std::string key = "\"awards_require_targets_met\": true,";
  std::string bad = text;
  bad.replace(bad.find(key), key.size(),
              key + "\n\"best_grade_when_targets_missed\": \"commend\",");
  try {
    load_policy(bad);
    FAIL() << "commend accepted";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where(), "scoring.best_grade_when_targets_missed");
    EXPECT_NE(std::string(e.what()).find("not an award"), std::string::npos) << e.what();
  }
}

TEST(Scoring, PolicyTieBreakersSplitEqualTotals) {
  const std::vector<Observation> obs{{"v1", "resident_enrolled", d("2021-10-31"), 1200},
                                     {"v1", "resident_paid", d("2021-10-31"), 1000},
                                     {"v2", "resident_enrolled", d("2021-10-20"), 1200},
                                     {"v2", "resident_paid", d("2021-10-20"), 1000}};
  const PolicyPtr tied = scoring_policy(R"([])");
  const Progress g = Progress::from_records(tied, obs);
  const Ranking r = score_and_rank(g, d("2021-12-31"), completion_dates(g, d("2021-12-31")));
  EXPECT_EQ(r.units[0].rank, 1);
  EXPECT_EQ(r.units[1].rank, 1);
  EXPECT_EQ(r.units[0].unit_id, "v1");  // equal: policy order
  const PolicyPtr split = scoring_policy(R"(["earlier_completion"])");
  const Progress g2 = Progress::from_records(split, obs);
  const Ranking r2 = score_and_rank(g2, d("2021-12-31"), completion_dates(g2, d("2021-12-31")));
  EXPECT_EQ(r2.units[0].unit_id, "v2");
  EXPECT_EQ(r2.units[1].rank, 2);
}
