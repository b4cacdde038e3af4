// Statutory retirement: NPC Standing Committee decision of 2024-09-13 and the
// State Council 办法 with its tables (附件1-3 对照表, 附件4 最低缴费年限), in force
// 2025-01-01. Expected values below are read off those tables, not computed.
#include <canbao/retirement.hpp>

#include <gtest/gtest.h>

#include <canbao/error.hpp>

namespace canbao {
namespace {

// The fast path is usable at compile time.
static_assert(statutory_retirement_age_months(Sex::male, 60, YearMonth{1965, 1}.index()) == 721);
static_assert(statutory_retirement_age_months(Sex::female, 50, YearMonth{1984, 11}.index()) == 660);
static_assert(statutory_retirement_age_months(Sex::male, 55, 0) == -1);

TEST(Retirement, MenBornJanuary1965RetireAtSixtyYearsOneMonth) {
  const RetirementSchedule s = statutory_retirement(Sex::male, YearMonth{1965, 1});
  EXPECT_EQ(s.original_age_years, 60);
  EXPECT_EQ(s.statutory_age, (YearsMonths{60, 1}));
  EXPECT_EQ(s.delay_months, 1);
  EXPECT_EQ(s.retirement_month, (YearMonth{2025, 2}));  // 附件1: 改革后退休时间 2025年2月
  EXPECT_EQ(s.retirement_date, *Date::from_ymd(2025, 3, 1));
}

TEST(Retirement, MenBornSeptember1976OrLaterRetireAtSixtyThree) {
  for (YearMonth b :
       {YearMonth{1976, 9}, YearMonth{1976, 10}, YearMonth{1980, 1}, YearMonth{2000, 6}}) {
    const RetirementSchedule s = statutory_retirement(Sex::male, b);
    EXPECT_EQ(s.statutory_age, (YearsMonths{63, 0})) << b.year << "-" << b.month;
    EXPECT_EQ(s.delay_months, 36);
  }
  EXPECT_EQ(statutory_retirement(Sex::male, YearMonth{1976, 8}).statutory_age,
            (YearsMonths{62, 11}));
}

struct Row {
  Sex sex;
  int original;
  YearMonth birth;
  YearsMonths age;
  YearMonth retires;
};

// Every boundary of the three categories: the last month before the reform,
// the first affected month, the first steps, the last month below the cap, the
// month the cap is reached and the month after.
const Row kBoundaries[] = {
    // Men 60 -> 63, one month per four months from 1965-01 (附件1).
    {Sex::male, 60, {1964, 12}, {60, 0}, {2024, 12}},
    {Sex::male, 60, {1965, 1}, {60, 1}, {2025, 2}},
    {Sex::male, 60, {1965, 4}, {60, 1}, {2025, 5}},
    {Sex::male, 60, {1965, 5}, {60, 2}, {2025, 7}},
    {Sex::male, 60, {1965, 8}, {60, 2}, {2025, 10}},
    {Sex::male, 60, {1965, 9}, {60, 3}, {2025, 12}},
    {Sex::male, 60, {1966, 1}, {60, 4}, {2026, 5}},
    {Sex::male, 60, {1976, 5}, {62, 11}, {2039, 4}},
    {Sex::male, 60, {1976, 8}, {62, 11}, {2039, 7}},
    {Sex::male, 60, {1976, 9}, {63, 0}, {2039, 9}},
    {Sex::male, 60, {1976, 10}, {63, 0}, {2039, 10}},
    // Women 55 -> 58, one month per four months from 1970-01 (附件2).
    {Sex::female, 55, {1969, 12}, {55, 0}, {2024, 12}},
    {Sex::female, 55, {1970, 1}, {55, 1}, {2025, 2}},
    {Sex::female, 55, {1970, 4}, {55, 1}, {2025, 5}},
    {Sex::female, 55, {1970, 5}, {55, 2}, {2025, 7}},
    {Sex::female, 55, {1981, 8}, {57, 11}, {2039, 7}},
    {Sex::female, 55, {1981, 9}, {58, 0}, {2039, 9}},
    {Sex::female, 55, {1981, 10}, {58, 0}, {2039, 10}},
    // Women 50 -> 55, one month per two months from 1975-01 (附件3).
    {Sex::female, 50, {1974, 12}, {50, 0}, {2024, 12}},
    {Sex::female, 50, {1975, 1}, {50, 1}, {2025, 2}},
    {Sex::female, 50, {1975, 2}, {50, 1}, {2025, 3}},
    {Sex::female, 50, {1975, 3}, {50, 2}, {2025, 5}},
    {Sex::female, 50, {1975, 4}, {50, 2}, {2025, 6}},
    {Sex::female, 50, {1984, 9}, {54, 11}, {2039, 8}},
    {Sex::female, 50, {1984, 10}, {54, 11}, {2039, 9}},
    {Sex::female, 50, {1984, 11}, {55, 0}, {2039, 11}},
    {Sex::female, 50, {1984, 12}, {55, 0}, {2039, 12}},
};

TEST(Retirement, BoundaryTableOfAllThreeCategoriesMatchesTheOfficialTables) {
  for (const Row& r : kBoundaries) {
    const RetirementSchedule s = statutory_retirement(r.sex, r.birth, r.original);
    const std::string label = std::string(sex_name(r.sex)) + " " + std::to_string(r.original) +
                              " born " + std::to_string(r.birth.year) + "-" +
                              std::to_string(r.birth.month);
    EXPECT_EQ(s.statutory_age, r.age)
        << label << ": got " << s.statutory_age.years << "y" << s.statutory_age.months << "m";
    EXPECT_EQ(s.retirement_month, r.retires) << label;
    EXPECT_EQ(s.delay_months, r.age.total_months() - r.original * 12) << label;
    EXPECT_EQ(statutory_retirement_age_months(r.sex, r.original, r.birth.index()),
              r.age.total_months())
        << label;
  }
}

TEST(Retirement, DelayGrowsOneMonthPerStepAndNeverDecreases) {
  struct Category {
    Sex sex;
    int original, first_year, step, cap;
  };
  for (const Category c :
       {Category{Sex::male, 60, 1965, 4, 36}, Category{Sex::female, 55, 1970, 4, 36},
        Category{Sex::female, 50, 1975, 2, 60}}) {
    const int first = YearMonth{c.first_year, 1}.index();
    int previous = statutory_retirement_age_months(c.sex, c.original, first - 1);
    EXPECT_EQ(previous, c.original * 12);
    for (int k = 0; k < 400; ++k) {
      const int age = statutory_retirement_age_months(c.sex, c.original, first + k);
      const bool steps = k % c.step == 0 && k / c.step < c.cap;
      EXPECT_EQ(age - previous, steps ? 1 : 0) << c.original << " k=" << k;
      previous = age;
    }
    EXPECT_EQ(previous, c.original * 12 + c.cap);
  }
}

TEST(Retirement, BirthsBeforeTheReformKeepTheOriginalAge) {
  EXPECT_EQ(statutory_retirement(Sex::male, YearMonth{1950, 6}).statutory_age,
            (YearsMonths{60, 0}));
  EXPECT_EQ(statutory_retirement(Sex::female, YearMonth{1960, 6}).statutory_age,
            (YearsMonths{55, 0}));
  EXPECT_EQ(statutory_retirement(Sex::female, YearMonth{1970, 6}, 50).statutory_age,
            (YearsMonths{50, 0}));
  EXPECT_EQ(statutory_retirement(Sex::female, YearMonth{1970, 6}, 50).delay_months, 0);
}

TEST(Retirement, MinimumContributionIsFifteenYearsUntil2029ThenSixMonthsMoreEachYear) {
  EXPECT_EQ(minimum_contribution_months(2024), 180);
  EXPECT_EQ(minimum_contribution_months(2029), 180);
  EXPECT_EQ(minimum_contribution_months(2030), 186);  // 15 years 6 months
  EXPECT_EQ(minimum_contribution_months(2035), 216);  // 18 years
  EXPECT_EQ(minimum_contribution_months(2038), 234);
  EXPECT_EQ(minimum_contribution_months(2039), 240);  // 20 years
  EXPECT_EQ(minimum_contribution_months(2045), 240);
  EXPECT_THROW(minimum_contribution_months(0), ArgumentError);
}

TEST(Retirement, MinimumContributionFollowsTheRetirementYear) {
  EXPECT_EQ(statutory_retirement(Sex::male, YearMonth{1965, 1}).minimum_contribution_months, 180);
  // Born 1970-01, man: 61y4m -> retires 2031-05, rule for 2031 is 16 years.
  const RetirementSchedule s = statutory_retirement(Sex::male, YearMonth{1970, 1});
  EXPECT_EQ(s.retirement_month, (YearMonth{2031, 5}));
  EXPECT_EQ(s.minimum_contribution_months, 192);
}

TEST(Retirement, FlexibleWindowIsThreeYearsEitherSideButNeverBelowTheOriginalAge) {
  const RetirementSchedule men = statutory_retirement(Sex::male, YearMonth{1965, 1});
  EXPECT_EQ(men.earliest_age, (YearsMonths{60, 0}));  // 60y1m - 3y is below 60
  EXPECT_EQ(men.earliest_month, (YearMonth{2025, 1}));
  EXPECT_EQ(men.latest_age, (YearsMonths{63, 1}));
  EXPECT_EQ(men.latest_month, (YearMonth{2028, 2}));

  // Women 50 with more than three years of delay: earliest is statutory - 3y.
  const RetirementSchedule w = statutory_retirement(Sex::female, YearMonth{1984, 11}, 50);
  EXPECT_EQ(w.earliest_age, (YearsMonths{52, 0}));
  EXPECT_EQ(w.earliest_month, (YearMonth{2036, 11}));
  EXPECT_EQ(w.latest_age, (YearsMonths{58, 0}));

  const RetirementSchedule w81 = statutory_retirement(Sex::female, YearMonth{1981, 1}, 50);
  EXPECT_EQ(w81.statutory_age, (YearsMonths{53, 1}));
  EXPECT_EQ(w81.earliest_age, (YearsMonths{50, 1}));
}

TEST(Retirement, OriginalAgeMustMatchTheSex) {
  try {
    statutory_retirement(Sex::male, YearMonth{1970, 1}, 55);
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_EQ(e.where(), "original_age");
    EXPECT_EQ(e.message(), "must be 60 for men, 55 or 50 for women; got 55 for sex male");
  }
  EXPECT_THROW(statutory_retirement(Sex::female, YearMonth{1970, 1}, 60), ArgumentError);
  EXPECT_THROW(statutory_retirement(Sex::female, YearMonth{1970, 1}, 45), ArgumentError);
  EXPECT_EQ(statutory_retirement_age_months(Sex::female, 60, YearMonth{1970, 1}.index()), -1);
}

TEST(Retirement, BirthMonthIsValidated) {
  try {
    statutory_retirement(Sex::male, YearMonth{1970, 13});
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_EQ(e.where(), "birth_month");
    EXPECT_EQ(e.message(), "month must be 1..12, got 13");
  }
  EXPECT_THROW(statutory_retirement(Sex::male, YearMonth{1970, 0}), ArgumentError);
  EXPECT_THROW(statutory_retirement(Sex::male, YearMonth{1899, 12}), ArgumentError);
  EXPECT_THROW(statutory_retirement(Sex::male, YearMonth{2201, 1}), ArgumentError);
}

TEST(Retirement, DefaultOriginalAgeIsSixtyForMenAndFiftyFiveForWomen) {
  EXPECT_EQ(default_original_retirement_age(Sex::male), 60);
  EXPECT_EQ(default_original_retirement_age(Sex::female), 55);
  EXPECT_EQ(statutory_retirement(Sex::female, YearMonth{1970, 1}).statutory_age,
            (YearsMonths{55, 1}));
}

TEST(Retirement, YearMonthIndexIsConsecutiveAcrossYearEnds) {
  EXPECT_EQ((YearMonth{1965, 1}.index()), 23580);
  EXPECT_EQ((YearMonth{1964, 12}.index() + 1), (YearMonth{1965, 1}.index()));
  EXPECT_EQ(YearMonth::from_index(YearMonth{1964, 12}.index()), (YearMonth{1964, 12}));
}

TEST(Sex, ParsesEnglishAndChineseAndNothingElse) {
  Sex s = Sex::male;
  EXPECT_TRUE(parse_sex("female", &s));
  EXPECT_EQ(s, Sex::female);
  EXPECT_TRUE(parse_sex("\xE7\x94\xB7", &s));  // 男
  EXPECT_EQ(s, Sex::male);
  EXPECT_TRUE(parse_sex("\xE5\xA5\xB3", &s));  // 女
  EXPECT_EQ(s, Sex::female);
  for (const char* bad : {"Male", "m", "f", "", "女性"}) {
    s = Sex::male;
    EXPECT_FALSE(parse_sex(bad, &s)) << bad;
    EXPECT_EQ(s, Sex::male);
  }
  EXPECT_STREQ(sex_name(Sex::male), "male");
  EXPECT_STREQ(sex_name(Sex::female), "female");
}

}  // namespace
}  // namespace canbao
