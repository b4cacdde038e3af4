#include <canbao/progress.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace canbao;

namespace {

std::string read_text(const std::string& rel) {
  std::ifstream in(std::string(CANBAO_SOURCE_DIR) + "/" + rel, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

PolicyPtr tiers_policy() {
  return load_policy(read_text("tests/data/progress/tiers-policy.json"), "tiers-policy.json");
}

Date d(const char* iso) { return *parse_iso_date(iso); }

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Progress, ValueIsTheLastObservationOnOrBeforeTheDayAndZeroBeforeAny) {
  const PolicyPtr p = tiers_policy();
  const Progress g = Progress::from_records(p, {{"v1", "resident_enrolled", d("2021-07-31"), 900},
                                                {"v1", "resident_enrolled", d("2021-06-30"), 800}});
  const int v1 = p->units.find("v1"), m = p->metric_index("resident_enrolled");
  EXPECT_EQ(g.count(v1, m, d("2021-06-29")), 0);
  EXPECT_EQ(g.count(v1, m, d("2021-06-30")), 800);
  EXPECT_EQ(g.count(v1, m, d("2021-07-30")), 800);
  EXPECT_EQ(g.count(v1, m, d("2021-07-31")), 900);
  EXPECT_EQ(g.count(v1, m, d("2021-12-31")), 900);
  EXPECT_TRUE(g.has_own(v1, m));
  EXPECT_EQ(g.observation_count(), 2u);
}

TEST(Progress, ParentWithoutOwnObservationsSumsItsChildrenStepByStep) {
  const PolicyPtr p = tiers_policy();
  const Progress g = Progress::from_records(p, {{"v1", "resident_enrolled", d("2021-06-30"), 800},
                                                {"v2", "resident_enrolled", d("2021-07-15"), 500},
                                                {"v1", "resident_enrolled", d("2021-07-31"), 900}});
  const int town = p->units.find("town"), m = p->metric_index("resident_enrolled");
  EXPECT_FALSE(g.has_own(town, m));
  EXPECT_EQ(g.count(town, m, d("2021-06-30")), 800);
  EXPECT_EQ(g.count(town, m, d("2021-07-15")), 1300);
  EXPECT_EQ(g.count(town, m, d("2021-07-31")), 1400);
  const std::vector<std::int32_t> days = g.change_days(town, m);
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[1], d("2021-07-15").day_number());
}

// tiers-policy.json with resident_enrolled's parent_figure set (or not).
PolicyPtr tiers_policy_with_parent_figure(const std::string& figure) {
  std::string text = read_text("tests/data/progress/tiers-policy.json");
  const std::string m = R"("id": "resident_enrolled", "name": "参保人数", "kind": "count")";
  text.replace(text.find(m), m.size(), m + ", \"parent_figure\": \"" + figure + "\"");
  return load_policy(text, "tiers-policy.json");
}

const std::vector<Observation> stale_town = {
    {"v1", "resident_enrolled", d("2021-07-31"), 900},      // newer village figure
    {"town", "resident_enrolled", d("2021-06-30"), 5000}};  // older town figure

TEST(Progress, ParentWithOwnObservationsAndObservingChildrenIsAnErrorByDefault) {
  // Which figure is right, the town's 06-30 total or its villages' newer
  // reports, is the policy's choice: without one it is an input error
  // naming both records, never a silent pick.
  EXPECT_EQ(error_of([&] { Progress::from_records(tiers_policy(), stale_town); }),
            "records[1]: unit \"town\" reports \"resident_enrolled\" itself and so does its "
            "descendant \"v1\" (records[0]): say which figure counts with the metric's "
            "parent_figure (\"own\" or \"children\")");
  // A parent that reports while no descendant does is no conflict.
  const Progress g = Progress::from_records(tiers_policy(),
                                            {{"town", "resident_enrolled", d("2021-06-30"), 5000}});
  EXPECT_EQ(g.count(0, 1, d("2021-06-30")), 5000);
}

TEST(Progress, ParentFigureOwnUsesTheParentsObservationsEvenWhenOlder) {
  const PolicyPtr p = tiers_policy_with_parent_figure("own");
  const Progress g = Progress::from_records(p, stale_town);
  const int town = p->units.find("town"), m = p->metric_index("resident_enrolled");
  EXPECT_EQ(g.count(town, m, d("2021-07-31")), 5000);
  EXPECT_EQ(g.count(p->units.find("v1"), m, d("2021-07-31")), 900);
}

TEST(Progress, ParentFigureChildrenSumsTheChildrenAndRejectsAParentsOwnFigure) {
  const PolicyPtr p = tiers_policy_with_parent_figure("children");
  EXPECT_EQ(error_of([&] { Progress::from_records(p, stale_town); }),
            "records[1]: unit \"town\" has children and its \"resident_enrolled\" is their sum "
            "(metrics: parent_figure \"children\"); report it on the children, or set "
            "parent_figure to \"own\"");
  const Progress g = Progress::from_records(p, {stale_town[0]});
  EXPECT_EQ(g.count(p->units.find("town"), p->metric_index("resident_enrolled"), d("2021-07-31")),
            900);
  // The choice is part of the policy (and so of its fingerprint).
  EXPECT_NE(p->fingerprint(), tiers_policy()->fingerprint());
  EXPECT_EQ(tiers_policy_with_parent_figure("either")->fingerprint(),
            tiers_policy()->fingerprint());
}

TEST(Progress, UnknownParentFigureIsAPolicyErrorNamingTheKey) {
  EXPECT_EQ(error_of([] { tiers_policy_with_parent_figure("latest"); }),
            "metrics[1].parent_figure: expected \"either\", \"own\" or \"children\", got "
            "\"latest\"");
}

TEST(Progress, RateIsRolledUpNumeratorOverRolledUpDenominatorAndUndefinedOverZero) {
  const PolicyPtr p = tiers_policy();
  const Progress g =
      Progress::from_records(p, {{"v1", "resident_enrolled", d("2021-06-30"), 90},
                                 {"v1", "resident_should_enroll", d("2021-06-30"), 100},
                                 {"v2", "resident_enrolled", d("2021-06-30"), 10},
                                 {"v2", "resident_should_enroll", d("2021-06-30"), 100}});
  const int town = p->units.find("town"), rate = p->metric_index("enrollment_rate");
  // (90 + 10) / (100 + 100) = 50%, not the mean of 90% and 10% by accident of equal sizes only.
  EXPECT_EQ(*g.value(town, rate, d("2021-06-30")), Ratio(1, 2));
  EXPECT_EQ(*g.value(p->units.find("v1"), rate, d("2021-06-30")), Ratio(9, 10));
  EXPECT_FALSE(g.value(town, rate, d("2021-06-29")).has_value());
  EXPECT_FALSE(g.value(p->units.find("v3"), rate, d("2021-12-31")).has_value());
}

TEST(Progress, ChengjiangTownsRollUpToTheCityTotalsAndPayerWeightedAverage) {
  // 001 三: towns' resident enrollment 6550 36000 22050 13550 7950 20700, conversions
  // 250 250 100 50 50 100, average contribution 350 330 330 330 330 330 yuan.
  // 人均缴费 is per person who paid (个人缴费人数): payers here are
  // 6000 33000 20000 12000 7000 19000 (97,000 in all).
  const PolicyPtr p = load_policy(read_text("examples/policies/001-chengjiang-2021.json"), "001");
  const Date day = d("2021-12-31");
  std::vector<Observation> obs;
  const char* towns[] = {"fenglu", "longjie", "yousuo", "haikou", "jiucun", "lujv"};
  const std::int64_t enrolled[] = {6550, 36000, 22050, 13550, 7950, 20700};
  const std::int64_t paid[] = {6000, 33000, 20000, 12000, 7000, 19000};
  const std::int64_t conversions[] = {250, 250, 100, 50, 50, 100};
  const std::int64_t average[] = {350, 330, 330, 330, 330, 330};
  for (int i = 0; i < 6; ++i) {
    obs.push_back({towns[i], "resident_enrolled", day, enrolled[i]});
    obs.push_back({towns[i], "resident_paid", day, paid[i]});
    obs.push_back({towns[i], "resident_to_employee", day, conversions[i]});
    obs.push_back({towns[i], "resident_contribution_avg", day, average[i]});
  }
  const Progress g = Progress::from_records(p, obs);
  const int city = p->units.find("chengjiang");
  EXPECT_EQ(g.count(city, p->metric_index("resident_enrolled"), day), 106800);
  EXPECT_EQ(g.count(city, p->metric_index("resident_paid"), day), 97000);
  EXPECT_EQ(g.count(city, p->metric_index("resident_to_employee"), day), 800);
  const Ratio avg = *g.value(city, p->metric_index("resident_contribution_avg"), day);
  // (350 x 6000 + 330 x 91000) / 97000 = 32,130,000 / 97,000 = 331.237...
  EXPECT_EQ(avg, Ratio(32130000, 97000));
  EXPECT_NE(avg, Ratio(330));  // the weighted average is not the plain 330
  // Weighting by enrollment instead would give (350 x 6550 + 330 x 100250) / 106800.
  EXPECT_NE(avg, Ratio(350 * 6550 + 330 * 100250, 106800));
}

TEST(Progress, AverageOfAParentIsUndefinedWhileAChildWithPeopleHasNoAverage) {
  const PolicyPtr p = load_policy(read_text("examples/policies/001-chengjiang-2021.json"), "001");
  const Date day = d("2021-12-31");
  const Progress g = Progress::from_records(p, {{"fenglu", "resident_enrolled", day, 100},
                                                {"fenglu", "resident_contribution_avg", day, 350},
                                                {"longjie", "resident_enrolled", day, 100}});
  EXPECT_FALSE(
      g.value(p->units.find("chengjiang"), p->metric_index("resident_contribution_avg"), day));
}

TEST(Progress, UnknownUnitOrMetricIsAnErrorNamingTheRecord) {
  const PolicyPtr p = tiers_policy();
  EXPECT_EQ(error_of([&] {
              Progress::from_records(p, {{"v1", "resident_paid", d("2021-06-30"), 1},
                                         {"v9", "resident_paid", d("2021-06-30"), 1}});
            }),
            "records[1].unit_id: unknown unit \"v9\" (not in the policy)");
  EXPECT_EQ(error_of([&] {
              Progress::from_records(p, {{"v1", "paid", d("2021-06-30"), 1}});
            }),
            "records[0].metric: unknown metric \"paid\" (not in the policy)");
}

TEST(Progress, RateObservedDirectlyIsAnErrorAskingForNumeratorAndDenominator) {
  const PolicyPtr p = tiers_policy();
  EXPECT_EQ(error_of([&] {
              Progress::from_records(p, {{"v1", "payment_rate", d("2021-06-30"), 90}});
            }),
            "records[0]: metric \"payment_rate\" is a rate (resident_paid / resident_enrolled): "
            "report its "
            "numerator and denominator, not the rate");
}

TEST(Progress, NegativeCountIsAnError) {
  const PolicyPtr p = tiers_policy();
  EXPECT_EQ(error_of([&] {
              Progress::from_records(p, {{"v2", "resident_paid", d("2021-06-30"), -1}});
            }),
            "records[0]: value of \"resident_paid\" for unit \"v2\" must be >= 0, got -1");
}

TEST(Progress, DuplicateUnitMetricDateIsAnErrorNamingBothRecords) {
  const PolicyPtr p = tiers_policy();
  EXPECT_EQ(error_of([&] {
              Progress::from_records(p, {{"v1", "resident_paid", d("2021-06-30"), 1},
                                         {"v2", "resident_paid", d("2021-06-30"), 1},
                                         {"v1", "resident_paid", d("2021-06-30"), 2}});
            }),
            "records[2]: duplicate observation of \"resident_paid\" for unit \"v1\" on 2021-06-30 "
            "(also at records[0])");
}

TEST(Progress, RollupThatOverflowsInt64IsAnOverflowError) {
  const PolicyPtr p = tiers_policy();
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  EXPECT_THROW(Progress::from_records(p, {{"v1", "resident_paid", d("2021-06-30"), big},
                                          {"v2", "resident_paid", d("2021-06-30"), 1}}),
               OverflowError);
}

TEST(Progress, ObservationDayOutsideTheSupportedRangeIsAnErrorNamingTheRecord) {
  // Bulk callers pass raw day numbers; INT32_MAX overflowed date arithmetic.
  const PolicyPtr p = tiers_policy();
  ObservationColumns c;
  c.unit = {1, 1};
  c.metric = {1, 1};
  c.day = {d("2021-06-30").day_number(), INT32_MAX};
  c.value = {10, 20};
  const std::string e = error_of([&] { Progress::from_columns(p, c); });
  EXPECT_EQ(e.rfind("records[1].date: day number 2147483647: ", 0), 0u) << e;
  EXPECT_NE(e.find("outside the supported range 1900-01-01..2200-12-31"), std::string::npos) << e;
  c.day = {d("2021-06-30").day_number(), d("2201-01-01").day_number()};
  EXPECT_NE(error_of([&] {
              Progress::from_columns(p, c);
            }).find("records[1].date: day number 84371: 2201-01-01 is outside"),
            std::string::npos);
}

TEST(Progress, AProgressPathWithANulIsRefusedNotCutShort) {
  const std::string path = std::string(CANBAO_SOURCE_DIR) +
                           "/tests/data/progress/tiers-progress.csv" + std::string(1, '\0') + "x";
  EXPECT_EQ(error_of([&] { read_progress_csv_file(tiers_policy(), path); }),
            "path: the path contains a NUL byte");
}

TEST(Progress, AnOwnParentRollsUpItsChildrenBeforeItsFirstOwnRow) {
  // parent_figure "own": v1 reports 10 on 05-01, the town its own 99 on 05-25.
  // As of 05-06 no own row of the town is known: it rolls up v1 (10); from
  // 05-25 its own 99 wins. Its weighted average follows the same rule.
  const PolicyPtr p = load_policy(R"({"schema": "canbao.policy/1",
    "campaign": {"id": "c", "title": "c", "year": 2021,
                 "phases": [{"id": "all", "name": "all", "start": "2021-01-01", "end": "2021-12-31"}]},
    "metrics": [{"id": "enrolled", "name": "e", "kind": "count", "parent_figure": "own"},
                {"id": "avg", "name": "a", "kind": "average", "weight": "enrolled", "parent_figure": "own"}],
    "units": [{"id": "town", "name": "t", "level": "town"},
              {"id": "v1", "name": "v", "level": "village", "parent": "town"}]})");
  const Progress g = Progress::from_records(p, {{"v1", "enrolled", d("2021-05-01"), 10},
                                                {"v1", "avg", d("2021-05-01"), 300},
                                                {"town", "enrolled", d("2021-05-25"), 99},
                                                {"town", "avg", d("2021-05-25"), 250}});
  const int town = p->units.find("town"), e = p->metric_index("enrolled"),
            a = p->metric_index("avg");
  EXPECT_EQ(g.count(town, e, d("2021-05-06")), 10);
  EXPECT_EQ(g.count(town, e, d("2021-05-25")), 99);
  EXPECT_FALSE(g.has_own_on(town, e, d("2021-05-06")));
  EXPECT_TRUE(g.has_own_on(town, e, d("2021-05-25")));
  EXPECT_EQ(g.value(town, a, d("2021-05-06")), Ratio(300));
  EXPECT_EQ(g.value(town, a, d("2021-05-25")), Ratio(250));
  EXPECT_EQ(g.value(town, a, d("2021-04-30")), std::nullopt);
}
