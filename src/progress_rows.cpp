// Progress rows in: records by id and index columns, split by segment (see
// include/canbao/progress.hpp). Each part is validated and indexed by
// Progress::build (progress.cpp); errors name the caller's record.
#include <canbao/progress.hpp>

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
  }
  return from_columns(std::move(policy), std::move(c));
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
  return g;
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
