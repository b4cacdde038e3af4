#include <canbao/date.hpp>
#include <canbao/date_boost.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

using canbao::Date;
using canbao::Days;

TEST(Date, EveryDayOf400YearsAgreesWithBoostGregorian) {
  // Boost.Date_Time is the reference at the edges; our day numbers must agree
  // for a whole Gregorian cycle (146097 days).
  const Date start = *Date::from_ymd(1900, 1, 1);
  boost::gregorian::date ref(1900, 1, 1);
  for (int i = 0; i < 146097; ++i) {
    const Date d = start + Days(i);
    ASSERT_EQ(canbao::to_boost(d), ref) << d.iso();
    ASSERT_EQ(canbao::from_boost(ref), d);
    ASSERT_EQ(*canbao::parse_iso_date(d.iso()), d);
    ref += boost::gregorian::days(1);
  }
}

TEST(Date, FebruaryTwentyNinthOfACommonYearIsRejectedWithReason) {
  std::string why;
  EXPECT_FALSE(canbao::parse_iso_date("2023-02-29", &why));
  EXPECT_EQ(why, "2023-02-29 is not a date (2023 is not a leap year)");
  EXPECT_TRUE(canbao::parse_iso_date("2024-02-29"));
  EXPECT_FALSE(canbao::parse_iso_date("1900-02-29"));
  EXPECT_TRUE(canbao::parse_iso_date("2000-02-29"));
  EXPECT_FALSE(canbao::parse_iso_date("2021-04-31", &why));
  EXPECT_EQ(why, "2021-04-31 is not a date (month 4 has 30 days)");
  EXPECT_FALSE(canbao::parse_iso_date("2021-9-30", &why));
  EXPECT_FALSE(canbao::parse_iso_date("2021-13-01"));
}

TEST(Date, AgeInWholeYearsCountsLeapDayBirthdaysFromMarchFirst) {
  const Date leap_born = *Date::from_ymd(2020, 2, 29);
  EXPECT_EQ(canbao::age_on(leap_born, *Date::from_ymd(2023, 2, 28)), 2);
  EXPECT_EQ(canbao::age_on(leap_born, *Date::from_ymd(2023, 3, 1)), 3);
  EXPECT_EQ(canbao::age_on(leap_born, *Date::from_ymd(2024, 2, 29)), 4);
  EXPECT_EQ(canbao::age_on(*Date::from_ymd(1980, 3, 1), *Date::from_ymd(2023, 6, 30)), 43);
}

TEST(Date, YearsBeforeIsTheCutOffForBeingAtLeastThatOld) {
  // Born on or before years_before(as_of, n) <=> age_on(birth, as_of) >= n, for every birth day.
  for (const Date as_of : {*Date::from_ymd(2023, 2, 28), *Date::from_ymd(2024, 2, 29),
                           *Date::from_ymd(2023, 6, 30), *Date::from_ymd(2024, 3, 1)}) {
    for (int n : {1, 3, 4, 45}) {
      const Date cut = canbao::years_before(as_of, n);
      for (int k = -800; k <= 800; ++k) {
        const Date birth = cut + Days(k);
        ASSERT_EQ(birth <= cut, canbao::age_on(birth, as_of) >= n)
            << birth.iso() << " as of " << as_of.iso() << " n=" << n;
      }
    }
  }
}

// Day numbers reach civil_from_days from outside (batch columns, the C ABI):
// every int32 must convert without overflow (UBSan checks this in CI).
TEST(Date, ExtremeDayNumbersConvertWithoutOverflow) {
  const Date top = Date::from_day_number(std::numeric_limits<std::int32_t>::max());
  const Date bottom = Date::from_day_number(std::numeric_limits<std::int32_t>::min());
  // 2^31 - 1 days after 1970-01-01 (Hinnant's algorithm in 64 bits).
  EXPECT_EQ(top.year(), 5881580);
  EXPECT_EQ(top.month(), 7);
  EXPECT_EQ(top.day(), 11);
  EXPECT_EQ(bottom.year(), -5877641);
  EXPECT_EQ(bottom.month(), 6);
  EXPECT_EQ(bottom.day(), 23);
  EXPECT_FALSE(canbao::is_supported_date(top));
  EXPECT_FALSE(canbao::is_supported_date(bottom));
}

TEST(Date, SupportedRangeIsNineteenHundredToTwentyTwoHundred) {
  EXPECT_EQ(canbao::supported_dates().first.iso(), "1900-01-01");
  EXPECT_EQ(canbao::supported_dates().last.iso(), "2200-12-31");
  EXPECT_TRUE(canbao::is_supported_date(*Date::from_ymd(2200, 12, 31)));
  EXPECT_FALSE(canbao::is_supported_date(*Date::from_ymd(2201, 1, 1)));
  EXPECT_FALSE(canbao::is_supported_date(*Date::from_ymd(1899, 12, 31)));
  EXPECT_EQ(canbao::unsupported_date_message(*Date::from_ymd(2300, 1, 1)),
            "2300-01-01 is outside the supported range 1900-01-01..2200-12-31");
}
