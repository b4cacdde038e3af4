#include <canbao/date.hpp>

#include <cstdio>

#include <canbao/error.hpp>

namespace canbao {

std::string Date::iso() const {
  const YearMonthDay v = ymd();
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day);
  return buf;
}

namespace {
bool digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}
int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
}  // namespace

std::optional<Date> parse_iso_date(std::string_view text, std::string* reason) {
  auto fail = [&](std::string why) -> std::optional<Date> {
    if (reason) *reason = std::move(why);
    return std::nullopt;
  };
  const std::string shown(text);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text.substr(0, 4)) ||
      !digits(text.substr(5, 2)) || !digits(text.substr(8, 2))) {
    return fail("expected a date as YYYY-MM-DD, got \"" + shown + "\"");
  }
  const int y = to_int(text.substr(0, 4));
  const int m = to_int(text.substr(5, 2));
  const int d = to_int(text.substr(8, 2));
  if (y < 1) return fail(shown + " is not a date (year 0000 does not exist)");
  if (m < 1 || m > 12) return fail(shown + " is not a date (month must be 01..12)");
  if (d < 1 || d > days_in_month(y, m)) {
    if (m == 2 && d == 29) {
      return fail(shown + " is not a date (" + std::to_string(y) + " is not a leap year)");
    }
    return fail(shown + " is not a date (month " + std::to_string(m) + " has " +
                std::to_string(days_in_month(y, m)) + " days)");
  }
  return Date::from_ymd(y, m, d);
}

std::string unsupported_date_message(Date d) {
  const DateRange r = supported_dates();
  return d.iso() + " is outside the supported range " + r.first.iso() + ".." + r.last.iso();
}

Date last_day_of_month(int year, int month) {
  return *Date::from_ymd(year, month, days_in_month(year, month));
}

Date years_before(Date as_of, int years) {
  const YearMonthDay v = as_of.ymd();
  const int y = v.year - years;
  if (y < 1 || y > 9999) throw ArgumentError("years", "the date is outside years 0001..9999");
  const int d = v.day > days_in_month(y, v.month) ? days_in_month(y, v.month) : v.day;
  return *Date::from_ymd(y, v.month, d);
}

int age_on(Date birth, Date as_of) {
  const YearMonthDay b = birth.ymd();
  const YearMonthDay a = as_of.ymd();
  int age = a.year - b.year;
  if (a.month < b.month || (a.month == b.month && a.day < b.day)) --age;
  return age;
}

}  // namespace canbao
