// Dates: one date type for the whole library. A Date is a proleptic Gregorian
// calendar day (no time, no time zone), stored as days since 1970-01-01 so
// comparisons and "born on or before a cut-off" are integer compares. Date
// ranges are inclusive on both ends, like every deadline in the seed plans
// ("2021年9月30日前完成" includes 09-30). Years 1..9999 are valid dates, but
// canbao evaluates only days in supported_dates() (1900-01-01..2200-12-31).
//
// Wrong code does not compile: Date + Date, Date + Fen and Date + int are not
// defined (tests/compile_fail/). Distances are Days.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace canbao {

// A number of days between two dates.
struct Days {
  std::int32_t count = 0;
  constexpr explicit Days(std::int32_t n = 0) : count(n) {}
  friend constexpr bool operator==(Days a, Days b) { return a.count == b.count; }
  friend constexpr bool operator!=(Days a, Days b) { return a.count != b.count; }
  friend constexpr bool operator<(Days a, Days b) { return a.count < b.count; }
  friend constexpr bool operator<=(Days a, Days b) { return a.count <= b.count; }
  friend constexpr bool operator>(Days a, Days b) { return a.count > b.count; }
  friend constexpr bool operator>=(Days a, Days b) { return a.count >= b.count; }
};

constexpr bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

constexpr int days_in_month(int year, int month) {
  constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

struct YearMonthDay {
  int year = 1970;
  int month = 1;
  int day = 1;
};

class CANBAO_API Date {
 public:
  // 1970-01-01.
  constexpr Date() = default;

  // The date y-m-d, or nothing when it does not exist (2023-02-29, 2021-13-01).
  static constexpr std::optional<Date> from_ymd(int year, int month, int day) {
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month)) {
      return std::nullopt;
    }
    return Date(days_from_civil(year, month, day));
  }
  static constexpr Date from_day_number(std::int32_t days_since_1970) {
    return Date(days_since_1970);
  }
  // Days since 1970-01-01 (negative before). The batch APIs take this number.
  constexpr std::int32_t day_number() const { return days_; }

  constexpr YearMonthDay ymd() const { return civil_from_days(days_); }
  constexpr int year() const { return ymd().year; }
  constexpr int month() const { return ymd().month; }
  constexpr int day() const { return ymd().day; }

  // ISO 8601 calendar date, YYYY-MM-DD.
  std::string iso() const;

  friend constexpr bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend constexpr bool operator!=(Date a, Date b) { return a.days_ != b.days_; }
  friend constexpr bool operator<(Date a, Date b) { return a.days_ < b.days_; }
  friend constexpr bool operator<=(Date a, Date b) { return a.days_ <= b.days_; }
  friend constexpr bool operator>(Date a, Date b) { return a.days_ > b.days_; }
  friend constexpr bool operator>=(Date a, Date b) { return a.days_ >= b.days_; }
  friend constexpr Date operator+(Date d, Days n) { return Date(d.days_ + n.count); }
  friend constexpr Date operator-(Date d, Days n) { return Date(d.days_ - n.count); }
  friend constexpr Days operator-(Date a, Date b) { return Days(a.days_ - b.days_); }

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}

  // Howard Hinnant's days_from_civil / civil_from_days (public domain).
  static constexpr std::int32_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }
  // 64-bit intermediates: a day number from outside (a batch column, the C
  // ABI) may be any int32, and z + 719468 overflows int32 near INT32_MAX. The
  // year then still fits an int (INT32_MAX days is about year 5,881,580).
  static constexpr YearMonthDay civil_from_days(std::int32_t days) {
    const std::int64_t z = std::int64_t{days} + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = yoe + era * 400;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp + (mp < 10 ? 3 : -9));
    return YearMonthDay{static_cast<int>(y + (m <= 2)), m, d};
  }

  std::int32_t days_ = 0;
};

// Parses exactly "YYYY-MM-DD". On failure returns nothing and, if `reason` is
// given, says why in words a policy author understands:
// "2023-02-29 is not a date (2023 is not a leap year)".
CANBAO_API std::optional<Date> parse_iso_date(std::string_view text, std::string* reason = nullptr);

// Dates as offices type them: "2021/6/1", "2021-6-1", "2021.6.1" and
// "2021年6月1日", zero-padded or not (so "2021-06-01" too), and "20210601"
// (exactly eight digits, YYYYMMDD, as systems export them). No guessing: the
// year comes first with four digits and one separator runs throughout, so a
// day-first ("1/6/2021"), two-digit-year ("21/6/1") or mixed ("2021/6-1")
// text is an error, as is a day outside supported_dates(). On failure returns
// nothing and, if `reason` is given, names the text and what was expected.
// For readers of typed input; hot paths keep parse_iso_date (src/date_office.cpp).
CANBAO_API std::optional<Date> parse_office_date(std::string_view text, std::string* reason = nullptr);

// Last day of a month: 2024-02 -> 2024-02-29.
CANBAO_API Date last_day_of_month(int year, int month);

// The same calendar day `years` earlier, clamped to the month's end
// (2024-02-29 minus 1 year is 2023-02-28). A person born on or before
// years_before(as_of, n) is at least n years old on as_of.
CANBAO_API Date years_before(Date as_of, int years);

// Age in whole years on a date (周岁). Someone born on 02-29 becomes a year
// older on 03-01 in common years.
CANBAO_API int age_on(Date birth, Date as_of);

// An inclusive range of days [first, last].
struct DateRange {
  Date first;
  Date last;
  constexpr bool contains(Date d) const { return first <= d && d <= last; }
  friend constexpr bool operator==(const DateRange& a, const DateRange& b) {
    return a.first == b.first && a.last == b.last;
  }
};

// The days canbao evaluates: as-of dates, birth dates and progress dates. One
// range for the whole library and CLI: 1900 is the earliest birth year the
// retirement schedule (retirement.hpp) and the batch path cover, 2200 the
// latest. A Date outside it is still a date; it is just not evaluated.
constexpr DateRange supported_dates() {
  return DateRange{*Date::from_ymd(1900, 1, 1), *Date::from_ymd(2200, 12, 31)};
}
constexpr bool is_supported_date(Date d) { return supported_dates().contains(d); }
// "2300-01-01 is outside the supported range 1900-01-01..2200-12-31", for an
// error that names the argument or field it came from.
CANBAO_API std::string unsupported_date_message(Date d);

}  // namespace canbao
