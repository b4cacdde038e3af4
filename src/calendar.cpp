// Campaign calendar: date templates, phases on a day, reporting deadlines.
#include <canbao/calendar.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace canbao {

namespace {

std::optional<Date> fail(std::string* reason, const std::string& text) {
  if (reason) *reason = text;
  return std::nullopt;
}

// Reads exactly `n` digits at text[pos...]; false otherwise.
bool digits(const std::string& text, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    v = v * 10 + (text[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

// Grammar: YEAR "-" MM "-" DAY, where YEAR is four digits or "{year}",
// "{year+N}", "{year-N}" (N = 1..99) and DAY is two digits or "last".
std::optional<Date> resolve_date_spec(const std::string& text, int campaign_year,
                                      std::string* reason) {
  const std::string expected =
      "expected a date \"YYYY-MM-DD\" or a template such as \"{year}-09-01\", "
      "\"{year+1}-02-last\", got \"" +
      text + "\"";
  int year = 0;
  std::size_t pos = 0;
  bool templated = false;
  if (text.compare(0, 5, "{year") == 0) {
    templated = true;
    const std::size_t close = text.find('}');
    if (close == std::string::npos) return fail(reason, expected);
    const std::string offset = text.substr(5, close - 5);
    int n = 0;
    if (offset.empty()) {
      n = 0;
    } else if ((offset[0] == '+' || offset[0] == '-') && offset.size() >= 2 && offset.size() <= 3 &&
               digits(offset, 1, offset.size() - 1, &n) && n >= 1) {
      if (offset[0] == '-') n = -n;
    } else {
      return fail(reason, expected);
    }
    year = campaign_year + n;
    pos = close + 1;
  } else if (!digits(text, 0, 4, &year)) {
    return fail(reason, expected);
  } else {
    pos = 4;
  }
  if (!templated && text.size() == 10 && text.compare(8, 2, "la") != 0) {
    return parse_iso_date(text, reason);  // a literal: its own reasons ("2023 is not a leap year")
  }
  int month = 0;
  if (pos >= text.size() || text[pos] != '-' || !digits(text, pos + 1, 2, &month) ||
      pos + 3 >= text.size() || text[pos + 3] != '-') {
    return fail(reason, expected);
  }
  const std::string day_text = text.substr(pos + 4);
  if (month < 1 || month > 12) {
    return fail(reason, "\"" + text + "\" has no month " + std::to_string(month));
  }
  if (year < 1 || year > 9999) {
    return fail(reason,
                "\"" + text + "\" resolves to year " + std::to_string(year) + ", outside 1..9999");
  }
  int day = 0;
  if (day_text == "last") {
    day = days_in_month(year, month);
  } else if (day_text.size() != 2 || !digits(day_text, 0, 2, &day)) {
    return fail(reason, expected);
  }
  const auto date = Date::from_ymd(year, month, day);
  if (date) return date;
  char ymd[16];
  std::snprintf(ymd, sizeof ymd, "%04d-%02d-%02d", year, month, day);
  std::string why = std::string(ymd) + " is not a date";
  if (month == 2 && day == 29) {
    why += " (" + std::to_string(year) + " is not a leap year)";
  } else {
    why += " (month " + std::to_string(month) + " has " +
           std::to_string(days_in_month(year, month)) + " days)";
  }
  if (templated) {
    why = "\"" + text + "\" is " + std::string(ymd) + " for campaign year " +
          std::to_string(campaign_year) + ", and " + why +
          (month == 2 && day == 29
               ? "; write \"" + text.substr(0, pos) + "-02-last\" for the end of February"
               : "");
  }
  return fail(reason, why);
}

std::vector<const Phase*> phases_on(const Campaign& campaign, Date day) {
  std::vector<const Phase*> out;
  for (const auto& phase : campaign.phases) {
    if (phase.range().contains(day)) out.push_back(&phase);
  }
  return out;
}

Date campaign_first_day(const Campaign& campaign) {
  if (campaign.start) return campaign.start->date;
  return *Date::from_ymd(campaign.year, 1, 1);
}

int segment_index(const Campaign& campaign, const std::string& id) {
  for (std::size_t i = 0; i < campaign.segments.size(); ++i) {
    if (campaign.segments[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

// 001: "2021年5月—12月期间,于每月2日前将截至上月末工作进展情况...报至" -> due on
// day 2 of May..December, covering up to the last day of the previous month.
// Months run from (year + first_year_offset, first_month) to (year +
// last_year_offset, last_month), so November to March of the next year is 5.
std::vector<ReportingDeadline> reporting_deadlines(const Campaign& campaign) {
  std::vector<ReportingDeadline> out;
  if (!campaign.reporting) return out;
  const ReportingCadence& r = *campaign.reporting;
  const int first = (campaign.year + r.first_year_offset) * 12 + (r.first_month - 1);
  const int last = (campaign.year + r.last_year_offset) * 12 + (r.last_month - 1);
  for (int m = first; m <= last; ++m) {
    const int year = m / 12;
    const int month = m % 12 + 1;
    const int day = r.due_last_day ? days_in_month(year, month) : r.due_day;
    const auto due = Date::from_ymd(year, month, day);
    if (!due) continue;  // the loader rejects due days that do not exist
    const Date first_of_month = *Date::from_ymd(year, month, 1);
    const Date covers =
        r.covers == ReportingCadence::Covers::due_day ? *due : first_of_month - Days(1);
    out.push_back(ReportingDeadline{*due, covers});
  }
  return out;
}

std::optional<ReportingDeadline> next_reporting_deadline(const Campaign& campaign, Date day) {
  for (const auto& d : reporting_deadlines(campaign)) {
    if (d.due >= day) return d;
  }
  return std::nullopt;
}

std::vector<const Deadline*> deadlines_from(const Campaign& campaign, Date day) {
  std::vector<const Deadline*> out;
  for (const auto& d : campaign.deadlines) {
    if (d.due.date >= day) out.push_back(&d);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Deadline* a, const Deadline* b) { return a->due.date < b->due.date; });
  return out;
}

}  // namespace canbao
