// The campaign section read strictly: phases (open ends), segments, the
// reporting cadence (across a year end, at month ends) and one-off deadlines.
// See docs/policy-format.md and docs/calendar.md.
#include <set>

#include "detail/policy_reader.hpp"

namespace canbao::detail {

// ---------------------------------------------------------------- campaign

namespace {

std::string year_month(int year, int month) {
  return std::to_string(year) + "-" + (month < 10 ? "0" : "") + std::to_string(month);
}

// A month as written in a cadence: "{year}-11", "{year+1}-03" or "2021-11"
// (a date template without its day). Returns the year offset from `year`.
int read_month_spec(const std::string& text, const std::string& path, int year, int* month) {
  std::string why;
  const auto first = resolve_date_spec(text + "-01", year, &why);
  if (!first || text.size() < 7 || text[text.size() - 3] != '-') {
    fail_at(path,
            "expected a month \"YYYY-MM\" or a template such as \"{year}-11\", "
            "\"{year+1}-03\", got " +
                in_quotes(text));
  }
  *month = first->ymd().month;
  return first->ymd().year - year;
}

std::vector<std::string> read_texts(const json& arr, const std::string& path) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < arr.size(); ++i)
    out.push_back(read_string(arr[i], path_index(path, i)));
  return out;
}

ReportingCadence read_reporting(const json& j, const std::string& path, int year) {
  ObjectReader r(j, path);
  const std::string every = r.string("every");
  if (every != "month") fail_at(r.path_of("every"), "expected \"month\", got " + in_quotes(every));
  ReportingCadence c;
  // Either from_month / to_month (months of the campaign year) or from / to
  // (month templates, which may cross the year end).
  if (r.has("from") || r.has("to")) {
    if (r.has("from_month") || r.has("to_month")) {
      fail_at(r.path_of(r.has("from_month") ? "from_month" : "to_month"),
              "give either from_month / to_month or from / to, not both");
    }
    c.from_text = r.string("from");
    c.to_text = r.string("to");
    c.first_year_offset = read_month_spec(c.from_text, r.path_of("from"), year, &c.first_month);
    c.last_year_offset = read_month_spec(c.to_text, r.path_of("to"), year, &c.last_month);
    if (c.last_year_offset * 12 + c.last_month < c.first_year_offset * 12 + c.first_month) {
      fail_at(r.path_of("to"), year_month(year + c.last_year_offset, c.last_month) +
                                   " is before from " +
                                   year_month(year + c.first_year_offset, c.first_month));
    }
    if (c.last_year_offset * 12 + c.last_month - (c.first_year_offset * 12 + c.first_month) >=
        120) {
      fail_at(r.path_of("to"), "a reporting cadence spans at most ten years");
    }
  } else {
    c.first_month = static_cast<int>(r.integer("from_month", 1, 12));
    c.last_month = static_cast<int>(r.integer("to_month", c.first_month, 12));
  }
  const json& due = r.required("due_day");
  if (due.is_string() && due.get<std::string>() == "last") {
    c.due_last_day = true;
    c.due_day = 0;
  } else if (due.is_string()) {
    fail_at(r.path_of("due_day"),
            "expected a day 1..31 or \"last\", got " + in_quotes(due.get<std::string>()));
  } else {
    c.due_day = static_cast<int>(read_integer(due, r.path_of("due_day"), 1, 31));
    const int first = (year + c.first_year_offset) * 12 + c.first_month - 1;
    const int last = (year + c.last_year_offset) * 12 + c.last_month - 1;
    for (int m = first; m <= last; ++m) {
      if (!Date::from_ymd(m / 12, m % 12 + 1, c.due_day)) {
        fail_at(r.path_of("due_day"), "day " + std::to_string(c.due_day) + " does not exist in " +
                                          year_month(m / 12, m % 12 + 1) +
                                          " (write \"last\" for each month's last day)");
      }
    }
  }
  if (auto covers = r.optional_string("covers")) {
    if (*covers == "due_day") {
      c.covers = ReportingCadence::Covers::due_day;
    } else if (*covers != "previous_month") {
      fail_at(r.path_of("covers"),
              "expected \"previous_month\" or \"due_day\", got " + in_quotes(*covers));
    }
  }
  if (const json* by = r.optional_array("submitted_by"))
    c.submitted_by = read_texts(*by, r.path_of("submitted_by"));  // checked once units are read
  c.source = optional_text(r, "source");
  r.done();
  return c;
}

std::vector<Segment> read_segments(const json& arr, const std::string& path) {
  std::vector<Segment> out;
  UniqueIds ids("segment");
  for (std::size_t i = 0; i < arr.size(); ++i) {
    ObjectReader r(arr[i], path_index(path, i));
    Segment s;
    s.id = r.string("id");
    ids.add(s.id, r.path_of("id"));
    s.name = r.string("name");
    s.source = optional_text(r, "source");
    r.done();
    out.push_back(std::move(s));
  }
  return out;
}

Phase read_phase(const json& j, const std::string& path, const Campaign& c) {
  ObjectReader pr(j, path);
  Phase p;
  p.id = pr.string("id");
  p.name = pr.string("name");
  if (!pr.has("start") && !pr.has("end")) {
    fail_at(path, "a phase needs a start, an end or both (an open end is left out)");
  }
  if (pr.has("start")) {
    p.start = read_date_spec(pr, "start", c.year);
  } else {
    p.open_start = true;  // "3月15日前": from the campaign's first day
    p.start.date = campaign_first_day(c);
  }
  if (pr.has("end")) {
    p.end = read_date_spec(pr, "end", c.year);
  } else {
    p.open_end = true;  // "从11月起": to the campaign's end, or with no end
    p.end.date = c.end ? c.end->date : supported_dates().last;
  }
  if (p.end.date < p.start.date) {
    if (p.open_start) {
      fail_at(pr.path_of("end"), p.end.date.iso() + " is before the campaign's first day " +
                                     p.start.date.iso() + " (where an open start begins)");
    }
    if (p.open_end) {
      fail_at(pr.path_of("start"), p.start.date.iso() + " is after the campaign's end " +
                                       p.end.date.iso() + " (where an open end stops)");
    }
    fail_at(pr.path_of("end"), p.end.date.iso() + " is before the start " + p.start.date.iso());
  }
  if (auto seg = pr.optional_string("segment")) {
    if (segment_index(c, *seg) < 0) {
      fail_at(pr.path_of("segment"), "no segment " + in_quotes(*seg) + " in campaign.segments");
    }
    p.segment = *seg;
  }
  p.source = optional_text(pr, "source");
  p.note = optional_text(pr, "note");
  pr.done();
  return p;
}

Deadline read_deadline(const json& j, const std::string& path, int year) {
  ObjectReader r(j, path);
  Deadline d;
  d.id = r.string("id");
  d.name = r.string("name");
  d.due = read_date_spec(r, "due", year);
  const json& contents = r.array("contents");
  if (contents.empty()) fail_at(r.path_of("contents"), "name at least one thing that is due");
  d.contents = read_texts(contents, r.path_of("contents"));
  if (const json* by = r.optional_array("submitted_by")) {
    // Unit ids: checked once the units are read (check_campaign_units).
    d.submitted_by = read_texts(*by, r.path_of("submitted_by"));
  }
  d.submit_to = optional_text(r, "submit_to");
  d.source = optional_text(r, "source");
  d.note = optional_text(r, "note");
  r.done();
  return d;
}

}  // namespace

Campaign read_campaign(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  Campaign c;
  c.id = r.string("id");
  c.title = r.string("title");
  c.year = static_cast<int>(r.integer("year", 1900, 2200));
  if (r.has("start")) c.start = read_date_spec(r, "start", c.year);
  if (r.has("end")) c.end = read_date_spec(r, "end", c.year);
  if (c.start && c.end && c.end->date < c.start->date) {
    fail_at(r.path_of("end"), c.end->date.iso() + " is before the start " + c.start->date.iso());
  }
  for (const auto* key : {"start", "end"}) {
    const auto& spec = std::string(key) == "start" ? c.start : c.end;
    if (spec && !is_supported_date(spec->date)) {
      fail_at(r.path_of(key), unsupported_date_message(spec->date));
    }
  }
  if (const json* segs = r.optional_array("segments")) {
    c.segments = read_segments(*segs, r.path_of("segments"));
  }
  const json& phases = r.array("phases");
  if (phases.empty()) fail_at(r.path_of("phases"), "a campaign needs at least one phase");
  UniqueIds ids("phase");
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const std::string at = path_index(r.path_of("phases"), i);
    c.phases.push_back(read_phase(phases[i], at, c));
    ids.add(c.phases.back().id, path_key(at, "id"));
  }
  if (const json* rep = r.optional_object("reporting")) {
    c.reporting = read_reporting(*rep, r.path_of("reporting"), c.year);
  }
  if (const json* dls = r.optional_array("deadlines")) {
    UniqueIds dids("deadline");
    for (std::size_t i = 0; i < dls->size(); ++i) {
      const std::string at = path_index(r.path_of("deadlines"), i);
      c.deadlines.push_back(read_deadline((*dls)[i], at, c.year));
      dids.add(c.deadlines.back().id, path_key(at, "id"));
    }
  }
  c.source = optional_text(r, "source");
  r.done();
  return c;
}

void check_campaign_units(const Policy& p) {
  const auto check = [&p](const std::vector<std::string>& by, const std::string& path) {
    std::set<std::string> seen;
    for (std::size_t k = 0; k < by.size(); ++k) {
      if (p.units.find(by[k]) < 0) fail_at(path_index(path, k), "no unit " + in_quotes(by[k]));
      if (!seen.insert(by[k]).second) {
        fail_at(path_index(path, k), "unit " + in_quotes(by[k]) + " is listed twice");
      }
    }
  };
  for (std::size_t i = 0; i < p.campaign.deadlines.size(); ++i) {
    check(p.campaign.deadlines[i].submitted_by,
          path_key(path_index("campaign.deadlines", i), "submitted_by"));
  }
  if (p.campaign.reporting)
    check(p.campaign.reporting->submitted_by, "campaign.reporting.submitted_by");
}

}  // namespace canbao::detail
