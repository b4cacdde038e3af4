// Office dates (date.hpp: parse_office_date). A strict scan, not Boost's
// parsers: Boost.Date_Time's input facets read only zero-padded months and
// days and skip format literals without comparing them, and from_string
// accepts mixed separators, month names and extra fields. Either would need
// this scan in front to refuse guesses, after which it would only repeat the
// work, several times slower (docs/architecture.md, "Boost.Date_Time").
// The unit tests check every supported day against Boost's from_string.
#include <canbao/date.hpp>

#include <cstddef>
#include <string>

namespace canbao {
namespace {

// The accepted forms: the text after the year, after the month, after the day.
struct Form {
  std::string_view after_year;
  std::string_view after_month;
  std::string_view after_day;
};
constexpr Form kForms[] = {{"/", "/", ""}, {"-", "-", ""}, {".", ".", ""}, {"年", "月", "日"}};

// Reads `min`..`max` ASCII digits at `pos` (and no more) into `value`.
bool take_number(std::string_view text, std::size_t& pos, std::size_t min, std::size_t max,
                 int& value) {
  std::size_t n = 0;
  int v = 0;
  while (pos + n < text.size() && text[pos + n] >= '0' && text[pos + n] <= '9') {
    if (++n > max) return false;
    v = v * 10 + (text[pos + n - 1] - '0');
  }
  if (n < min) return false;
  pos += n;
  value = v;
  return true;
}

bool take(std::string_view text, std::size_t& pos, std::string_view literal) {
  if (text.substr(pos, literal.size()) != literal) return false;
  pos += literal.size();
  return true;
}

// Year, month and day when `text` has exactly one of kForms' shapes.
bool scan(std::string_view text, int& y, int& m, int& d) {
  std::size_t pos = 0;
  // YYYYMMDD, as systems export dates (always eight digits, zero-padded).
  if (text.size() == 8 && take_number(text, pos, 8, 8, y)) {
    d = y % 100;
    m = y / 100 % 100;
    y /= 10000;
    return true;
  }
  pos = 0;
  if (!take_number(text, pos, 4, 4, y)) return false;
  for (const Form& f : kForms) {
    std::size_t p = pos;
    if (!take(text, p, f.after_year)) continue;
    return take_number(text, p, 1, 2, m) && take(text, p, f.after_month) &&
           take_number(text, p, 1, 2, d) && take(text, p, f.after_day) && p == text.size();
  }
  return false;
}

}  // namespace

std::optional<Date> parse_office_date(std::string_view text, std::string* reason) {
  // YYYY-MM-DD, the form nearly every file uses (a national progress file has
  // 25 M of them): read at fixed places. Anything else, a bad or unsupported
  // date included, takes the scan below and its messages.
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digit(0) && digit(1) && digit(2) &&
      digit(3) && digit(5) && digit(6) && digit(8) && digit(9)) {
    const auto at = [&](std::size_t i) { return text[i] - '0'; };
    const int y = at(0) * 1000 + at(1) * 100 + at(2) * 10 + at(3);
    const int m = at(5) * 10 + at(6);
    const int d = at(8) * 10 + at(9);
    // Years outside the supported ones go the long way (year 0 is no year).
    if (y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m)) {
      const Date date = *Date::from_ymd(y, m, d);
      if (is_supported_date(date)) return date;
    }
  }
  auto fail = [&](std::string why) -> std::optional<Date> {  // only failures copy `text`
    if (reason) *reason = std::move(why);
    return std::nullopt;
  };
  int y = 0;
  int m = 0;
  int d = 0;
  if (!scan(text, y, m, d)) {
    return fail(
        "expected a date as YYYY/M/D, YYYY-M-D, YYYY.M.D, YYYY年M月D日 or YYYYMMDD (four-digit "
        "year first, one separator throughout; day-first and two-digit years are not "
        "accepted), got \"" +
        std::string(text) + "\"");
  }
  if (y < 1) return fail(std::string(text) + " is not a date (year 0000 does not exist)");
  if (m < 1 || m > 12) return fail(std::string(text) + " is not a date (month must be 1..12)");
  if (d < 1 || d > days_in_month(y, m)) {
    if (m == 2 && d == 29) {
      return fail(std::string(text) + " is not a date (" + std::to_string(y) +
                  " is not a leap year)");
    }
    return fail(std::string(text) + " is not a date (month " + std::to_string(m) + " has " +
                std::to_string(days_in_month(y, m)) + " days)");
  }
  const Date date = *Date::from_ymd(y, m, d);
  if (!is_supported_date(date)) {
    // The ISO form leads, as for every other date; the office form follows when it differs.
    return fail(unsupported_date_message(date) +
                (text == date.iso() ? "" : " (written \"" + std::string(text) + "\")"));
  }
  return date;
}

}  // namespace canbao
