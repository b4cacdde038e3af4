// parse_office_date: the non-ISO dates offices type (date.hpp), strict and
// checked against Boost.Date_Time's own parser as the reference calendar.
#include <canbao/date.hpp>
#include <canbao/date_boost.hpp>

#include <gtest/gtest.h>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <string>

using canbao::Date;
using canbao::parse_office_date;

namespace {
Date ymd(int y, int m, int d) { return *Date::from_ymd(y, m, d); }

std::string reason_for(const std::string& text) {
  std::string why;
  EXPECT_FALSE(parse_office_date(text, &why)) << text;
  return why;
}

const std::string kExpected =
    "expected a date as YYYY/M/D, YYYY-M-D, YYYY.M.D, YYYY年M月D日 or YYYYMMDD (four-digit year "
    "first, one separator throughout; day-first and two-digit years are not accepted), got ";
}  // namespace

TEST(OfficeDate, EveryFormPaddedOrNotGivesTheSameDay) {
  for (const char* text :
       {"2021/6/1", "2021-6-1", "2021.6.1", "2021年6月1日", "2021/06/01", "2021-06-01",
        "2021.06.01", "2021年06月01日", "2021/06/1", "2021/6/01"}) {
    const auto d = parse_office_date(text);
    ASSERT_TRUE(d) << text;
    EXPECT_EQ(*d, ymd(2021, 6, 1)) << text;
  }
  EXPECT_EQ(*parse_office_date("2021年12月31日"), ymd(2021, 12, 31));
  EXPECT_EQ(*parse_office_date("2024/2/29"), ymd(2024, 2, 29));
}

TEST(OfficeDate, IsoTextParsesAsItsZeroPaddedDashForm) {
  EXPECT_EQ(parse_office_date("2023-06-30"), canbao::parse_iso_date("2023-06-30"));
}

TEST(OfficeDate, DaysThatDoNotExistAreRejectedLikeIso) {
  EXPECT_EQ(reason_for("2023/2/29"), "2023/2/29 is not a date (2023 is not a leap year)");
  EXPECT_EQ(reason_for("2023年2月29日"), "2023年2月29日 is not a date (2023 is not a leap year)");
  EXPECT_EQ(reason_for("2021.4.31"), "2021.4.31 is not a date (month 4 has 30 days)");
  EXPECT_EQ(reason_for("2021/13/1"), "2021/13/1 is not a date (month must be 1..12)");
  EXPECT_EQ(reason_for("2021/0/1"), "2021/0/1 is not a date (month must be 1..12)");
  EXPECT_EQ(reason_for("2021/6/0"), "2021/6/0 is not a date (month 6 has 30 days)");
  EXPECT_EQ(reason_for("0000/1/1"), "0000/1/1 is not a date (year 0000 does not exist)");
  EXPECT_FALSE(parse_office_date("1900/2/29"));
  EXPECT_TRUE(parse_office_date("2000/2/29"));
}

TEST(OfficeDate, DaysOutsideTheSupportedRangeAreRejected) {
  EXPECT_EQ(
      reason_for("1899/12/31"),
      "1899-12-31 is outside the supported range 1900-01-01..2200-12-31 (written \"1899/12/31\")");
  EXPECT_EQ(reason_for("2201年1月1日"),
            "2201-01-01 is outside the supported range 1900-01-01..2200-12-31 (written "
            "\"2201年1月1日\")");
  EXPECT_EQ(*parse_office_date("1900/1/1"), canbao::supported_dates().first);
  EXPECT_EQ(*parse_office_date("2200.12.31"), canbao::supported_dates().last);
}

// YYYY-MM-DD takes a fixed-width fast path; every answer and message is the
// scan's (the edges of the supported range and of the months included).
TEST(OfficeDate, ZeroPaddedIsoFormKeepsTheScansAnswersAndMessages) {
  EXPECT_EQ(*parse_office_date("1900-01-01"), canbao::supported_dates().first);
  EXPECT_EQ(*parse_office_date("2200-12-31"), canbao::supported_dates().last);
  EXPECT_EQ(*parse_office_date("2024-02-29"), *canbao::Date::from_ymd(2024, 2, 29));
  EXPECT_EQ(reason_for("1899-12-31"),
            "1899-12-31 is outside the supported range 1900-01-01..2200-12-31");
  EXPECT_EQ(reason_for("2201-01-01"),
            "2201-01-01 is outside the supported range 1900-01-01..2200-12-31");
  EXPECT_EQ(reason_for("0000-01-01"), "0000-01-01 is not a date (year 0000 does not exist)");
  EXPECT_EQ(reason_for("2023-02-29"), "2023-02-29 is not a date (2023 is not a leap year)");
  EXPECT_EQ(reason_for("2021-04-31"), "2021-04-31 is not a date (month 4 has 30 days)");
  EXPECT_EQ(reason_for("2021-13-01"), "2021-13-01 is not a date (month must be 1..12)");
  EXPECT_EQ(reason_for("2021-00-01"), "2021-00-01 is not a date (month must be 1..12)");
  EXPECT_EQ(reason_for("2021-06-00"), "2021-06-00 is not a date (month 6 has 30 days)");
  EXPECT_EQ(reason_for("2021-0a-01"), kExpected + "\"2021-0a-01\"");
  EXPECT_EQ(reason_for("2021/06-01"), kExpected + "\"2021/06-01\"");
}

TEST(OfficeDate, NoGuessingDayFirstOrTwoDigitYearsAreErrors) {
  for (const char* text : {"1/6/2021", "01/06/2021", "21/6/1", "21-6-1", "6/1/2021", "021/6/1"}) {
    EXPECT_EQ(reason_for(text), kExpected + "\"" + text + "\"");
  }
}

TEST(OfficeDate, MixedSeparatorsAreErrors) {
  for (const char* text : {"2021/6-1", "2021-6/1", "2021.6/1", "2021年6/1", "2021年6月1",
                           "2021/6月1日", "2021年6-1日", "2021年6月1日日"}) {
    EXPECT_EQ(reason_for(text), kExpected + "\"" + text + "\"") << text;
  }
}

TEST(OfficeDate, JunkIsAnErrorThatNamesTheText) {
  for (const char* text : {"",           " 2021/6/1", "2021/6/1 ",        "2021/6/1/5",
                           "2021/Jun/1", "2021 6 1",  "2021,6,1",         "2021/123/1",
                           "2021/6/123", "20211/6/1", "2021//6/1",        "2021/6/",
                           "2021/6",     "2021",      "2021061",          "202106011",
                           "+2021061",   "2021/+6/1", "２０２１０６０１", "２０２１/6/1",
                           "abcd/6/1"}) {
    EXPECT_EQ(reason_for(text), kExpected + "\"" + text + "\"") << text;
  }
  std::string nul("2021/6/1\0", 9);
  EXPECT_FALSE(parse_office_date(nul));
}

TEST(OfficeDate, EverySupportedDayAgreesWithBoostGregorian) {
  // Boost.Date_Time's from_string is the reference for the ASCII forms.
  const canbao::DateRange range = canbao::supported_dates();
  for (Date d = range.first; d <= range.last; d = d + canbao::Days(1)) {
    const canbao::YearMonthDay v = d.ymd();
    const std::string y = std::to_string(v.year);
    const std::string m = std::to_string(v.month);
    const std::string day = std::to_string(v.day);
    for (const char* sep : {"/", "-", "."}) {
      const std::string text = y + sep + m + sep + day;
      ASSERT_EQ(parse_office_date(text), d) << text;
      ASSERT_EQ(canbao::from_boost(boost::gregorian::from_string(text)), d) << text;
    }
    ASSERT_EQ(parse_office_date(y + "年" + m + "月" + day + "日"), d);
    ASSERT_EQ(parse_office_date(d.iso()), d);
    // YYYYMMDD, checked against Boost's undelimited parser.
    std::string compact = d.iso();
    compact.erase(7, 1).erase(4, 1);
    ASSERT_EQ(parse_office_date(compact), d) << compact;
    ASSERT_EQ(canbao::from_boost(boost::gregorian::from_undelimited_string(compact)), d);
  }
}

TEST(OfficeDate, EightDigitsAreYearMonthDayAndMustExist) {
  EXPECT_EQ(*parse_office_date("20210601"), ymd(2021, 6, 1));
  EXPECT_EQ(*parse_office_date("19800301"), ymd(1980, 3, 1));
  EXPECT_EQ(reason_for("20211301"), "20211301 is not a date (month must be 1..12)");
  EXPECT_EQ(reason_for("20210631"), "20210631 is not a date (month 6 has 30 days)");
  EXPECT_EQ(reason_for("20230229"), "20230229 is not a date (2023 is not a leap year)");
  // 01062021 (day first) is year 0106, month 20: an error, never a guess.
  EXPECT_EQ(reason_for("01062021"), "01062021 is not a date (month must be 1..12)");
}
