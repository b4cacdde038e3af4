// Progress rows in: records by id and index columns, split by segment (see
// include/canbao/progress.hpp). Each part is validated and indexed by
// Progress::build (progress.cpp); errors name the caller's record.
#include <canbao/progress.hpp>

#include <algorithm>

#include <canbao/error.hpp>

namespace canbao {

Progress Progress::from_records(PolicyPtr policy, const std::vector<Observation>& records) {
  if (!policy) throw ArgumentError("policy", "is null");
  ObservationColumns c;
  c.unit.reserve(records.size());
  c.metric.reserve(records.size());
  c.day.reserve(records.size());
  c.value.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Observation& r = records[i];
    const std::string where = "records[" + std::to_string(i) + "]";
    const int unit = policy->units.find(r.unit_id);
    if (unit < 0)
      throw InputError(where + ".unit_id",
                       "unknown unit \"" + r.unit_id + "\" (not in the policy)");
    const int metric = policy->metric_index(r.metric);
    if (metric < 0)
      throw InputError(where + ".metric",
                       "unknown metric \"" + r.metric + "\" (not in the policy)");
    c.unit.push_back(unit);
    c.metric.push_back(metric);
    c.day.push_back(r.date.day_number());
    c.value.push_back(r.value);
    int seg = -1;
    if (!r.segment.empty()) {
      seg = segment_index(policy->campaign, r.segment);
      if (seg < 0)
        throw InputError(where + ".segment",
                         "unknown segment \"" + r.segment + "\" (not in campaign.segments)");
    }
    c.segment.push_back(seg);
    c.submitted.push_back(r.submitted ? r.submitted->day_number() : kSubmissionUnknown);
  }
  return from_columns(std::move(policy), std::move(c));
}

// The rows that say when they were handed in, checked (a supported day, not
// before the row's own day) and sorted by (unit, day) for rows_reported.
std::vector<Progress::Submitted> Progress::submissions(
    const ObservationColumns& c, const std::function<std::string(std::size_t)>& describe) {
  std::vector<Submitted> out;
  if (c.submitted.empty()) return out;
  if (c.submitted.size() != c.unit.size())
    throw ArgumentError("columns", "the submitted column must be empty or as long as the others");
  for (std::size_t i = 0; i < c.submitted.size(); ++i) {
    const std::int32_t s = c.submitted[i];
    if (s == kSubmissionUnknown) continue;
    const Date day = Date::from_day_number(s);
    if (!is_supported_date(day))
      throw InputError(describe(i) + ".submitted", unsupported_date_message(day));
    if (s < c.day[i]) {
      throw InputError(describe(i) + ".submitted",
                       "submitted " + day.iso() + " is before the row's date " +
                           Date::from_day_number(c.day[i]).iso() +
                           " (a figure is handed in on or after the day it is as of)");
    }
    out.push_back(Submitted{c.unit[i], c.day[i], s});
  }
  std::sort(out.begin(), out.end(), [](const Submitted& a, const Submitted& b) {
    return a.unit != b.unit ? a.unit < b.unit : a.day < b.day;
  });
  return out;
}

// Splits the rows by segment: whole-unit rows make this Progress, each
// segment's rows its own (segments_), all named by their original record.
Progress Progress::from_columns(PolicyPtr policy, ObservationColumns c,
                                std::function<std::string(std::size_t)> describe) {
  if (!policy) throw ArgumentError("policy", "is null");
  if (!describe) describe = [](std::size_t i) { return "records[" + std::to_string(i) + "]"; };
  const std::size_t n = c.unit.size();
  if (c.metric.size() != n || c.day.size() != n || c.value.size() != n) {
    throw ArgumentError("columns", "unit, metric, day and value columns must have the same length");
  }
  if (!c.segment.empty() && c.segment.size() != n) {
    throw ArgumentError("columns", "the segment column must be empty or as long as the others");
  }
  std::vector<Submitted> submitted = submissions(c, describe);
  const std::size_t nseg = policy->campaign.segments.size();
  bool any_segment = false;
  for (std::size_t i = 0; i < c.segment.size(); ++i) {
    if (c.segment[i] < -1 || c.segment[i] >= static_cast<std::int64_t>(nseg)) {
      throw InputError(describe(i), "segment index " + std::to_string(c.segment[i]) +
                                        " is not in the policy (" + std::to_string(nseg) +
                                        " segments)");
    }
    any_segment = any_segment || c.segment[i] >= 0;
  }
  if (!any_segment) {
    c.segment.clear();
    Progress g = build(policy, std::move(c), describe);
    if (nseg > 0) {
      g.segments_.push_back(build(policy, {}, describe));
      g.segment_slot_.assign(nseg, 0);
    }
    g.submitted_ = std::move(submitted);
    return g;
  }
  std::vector<ObservationColumns> parts(nseg + 1);  // [0]: whole-unit rows
  std::vector<std::vector<std::size_t>> rows(nseg + 1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = static_cast<std::size_t>(c.segment[i] + 1);
    parts[k].unit.push_back(c.unit[i]);
    parts[k].metric.push_back(c.metric[i]);
    parts[k].day.push_back(c.day[i]);
    parts[k].value.push_back(c.value[i]);
    rows[k].push_back(i);
  }
  c = ObservationColumns{};
  auto part_describe = [&](std::size_t k) {
    return [&describe, &rows, k](std::size_t i) { return describe(rows[k][i]); };
  };
  Progress g = build(policy, std::move(parts[0]), part_describe(0));
  g.observation_count_ = n;
  g.segment_slot_.assign(nseg, 0);
  bool any_empty = false;
  for (std::size_t k = 1; k <= nseg; ++k) {
    if (rows[k].empty()) {
      any_empty = true;
      continue;
    }
    g.segment_slot_[k - 1] = static_cast<std::uint32_t>(g.segments_.size());
    g.segments_.push_back(build(policy, std::move(parts[k]), part_describe(k)));
  }
  if (any_empty) {
    for (std::size_t k = 1; k <= nseg; ++k) {
      if (rows[k].empty()) g.segment_slot_[k - 1] = static_cast<std::uint32_t>(g.segments_.size());
    }
    g.segments_.push_back(build(policy, {}, describe));
  }
  g.submitted_ = std::move(submitted);
  return g;
}

RowsReported Progress::rows_reported(int unit, Date first, Date last, Date as_of) const {
  if (unit < 0 || static_cast<std::size_t>(unit) >= unit_count_)
    throw ArgumentError("unit", "index " + std::to_string(unit) + " is out of range");
  RowsReported r;
  const std::int32_t lo = first.day_number(), hi = last.day_number();
  // Every own row in the window: the whole figures' own series, then each
  // segment's (segments_ holds each segment once, and one shared empty one).
  auto count_rows = [&](const Progress& g) {
    for (std::size_t m = 0; m < policy_->metrics.size(); ++m) {
      const std::size_t s = g.slot(unit, static_cast<int>(m));
      if (g.own_.empty() || !g.own_[s]) continue;
      const std::int32_t* b = g.days_.data() + g.offsets_[2 * s];
      const std::int32_t* e = g.days_.data() + g.offsets_[2 * s + 1];
      r.rows += static_cast<std::size_t>(std::upper_bound(b, e, hi) - std::lower_bound(b, e, lo));
    }
  };
  count_rows(*this);
  for (const Progress& g : segments_) count_rows(g);
  // Of those rows, the ones that say when they were handed in.
  std::size_t dated = 0, after = 0;
  const auto from =
      std::lower_bound(submitted_.begin(), submitted_.end(), std::make_pair(unit, lo),
                       [](const Submitted& a, const std::pair<int, std::int32_t>& k) {
                         return a.unit != k.first ? a.unit < k.first : a.day < k.second;
                       });
  for (auto it = from; it != submitted_.end() && it->unit == unit && it->day <= hi; ++it) {
    ++dated;
    if (it->submitted > as_of.day_number()) {
      ++after;  // handed in after as_of: not known yet
    } else if (!r.last_submitted || it->submitted > r.last_submitted->day_number()) {
      r.last_submitted = Date::from_day_number(it->submitted);
    }
  }
  r.undated = r.rows - dated;
  r.rows -= after;
  return r;
}

const Progress& Progress::segment(int index) const {
  if (index < 0 || static_cast<std::size_t>(index) >= segment_slot_.size()) {
    throw ArgumentError("segment", "index " + std::to_string(index) + " is not in the policy (" +
                                       std::to_string(segment_slot_.size()) + " segments)");
  }
  return segments_[segment_slot_[static_cast<std::size_t>(index)]];
}

const Progress& Progress::for_segment(const std::string& id) const {
  if (id.empty()) return *this;
  const int s = segment_index(policy_->campaign, id);
  if (s < 0) throw ArgumentError("segment", "no segment \"" + id + "\" in the policy");
  return segment(s);
}

}  // namespace canbao
