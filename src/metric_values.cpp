// metric_values: Progress::value with the unit's target and the shortfall
// (include/canbao/metric_values.hpp). No rule of its own: the rollup is
// Progress's, the target is the policy's.
#include <canbao/metric_values.hpp>

#include <algorithm>
#include <limits>

#include <canbao/error.hpp>

#include "detail/int128.hpp"

namespace canbao {
namespace {

// Edit distance, for "did you mean" in an unknown id's message.
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "no unit \"x\" in the policy (closest: a, b, c)": the three nearest ids.
[[noreturn]] void unknown(const std::string& what, const std::string& id,
                          const std::vector<std::string>& ids) {
  std::vector<std::pair<std::size_t, std::string>> near;
  for (const auto& candidate : ids) near.emplace_back(distance(id, candidate), candidate);
  std::stable_sort(near.begin(), near.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string list;
  for (std::size_t i = 0; i < near.size() && i < 3; ++i)
    list += (list.empty() ? "" : ", ") + near[i].second;
  throw ArgumentError(what, "no " + what + " \"" + id + "\" in the policy" +
                                (list.empty() ? "" : " (closest: " + list + ")"));
}

// a - b exactly (128-bit intermediates, reduced); OverflowError when the
// reduced result does not fit int64.
Ratio difference(const Ratio& a, const Ratio& b) {
  using detail::int128;
  int128 num = int128{a.num} * b.den - int128{b.num} * a.den;
  int128 den = int128{a.den} * b.den;
  int128 x = num < 0 ? -num : num;
  int128 y = den;
  while (y != 0) {
    const int128 r = x % y;
    x = y;
    y = r;
  }
  if (x > 1) {
    num /= x;
    den /= x;
  }
  const int128 lo = std::numeric_limits<std::int64_t>::min();
  const int128 hi = std::numeric_limits<std::int64_t>::max();
  if (num < lo || num > hi || den > hi)
    throw OverflowError("shortfall", "target - value does not fit int64");
  return Ratio(static_cast<std::int64_t>(num), static_cast<std::int64_t>(den));
}

}  // namespace

std::vector<MetricValue> metric_values(const Progress& progress, Date as_of,
                                       const MetricQuery& query) {
  const Policy& policy = progress.policy();
  const UnitTree& tree = policy.units;
  int only_unit = -1;
  if (!query.unit.empty()) {
    only_unit = tree.find(query.unit);
    if (only_unit < 0) {
      std::vector<std::string> ids;
      for (const Unit& u : tree.units) ids.push_back(u.id);
      unknown("unit", query.unit, ids);
    }
  }
  int only_metric = -1;
  if (!query.metric.empty()) {
    only_metric = policy.metric_index(query.metric);
    if (only_metric < 0) {
      std::vector<std::string> ids;
      for (const Metric& m : policy.metrics) ids.push_back(m.id);
      unknown("metric", query.metric, ids);
    }
  }
  if (!query.segment.empty() && segment_index(policy.campaign, query.segment) < 0) {
    std::vector<std::string> ids;
    for (const Segment& s : policy.campaign.segments) ids.push_back(s.id);
    unknown("segment", query.segment, ids);
  }
  const Progress& figures = progress.for_segment(query.segment);
  const bool whole = query.segment.empty();

  std::vector<MetricValue> out;
  std::vector<std::int32_t> days;
  for (std::size_t u = 0; u < tree.units.size(); ++u) {
    if (only_unit >= 0 && static_cast<int>(u) != only_unit) continue;
    const Unit& unit = tree.units[u];
    for (std::size_t m = 0; m < policy.metrics.size(); ++m) {
      if (only_metric >= 0 && static_cast<int>(m) != only_metric) continue;
      const Metric& metric = policy.metrics[m];
      const int ui = static_cast<int>(u);
      const int mi = static_cast<int>(m);
      MetricValue v;
      v.unit = ui;
      v.unit_id = unit.id;
      v.metric = mi;
      v.metric_id = metric.id;
      v.kind = metric.kind;
      v.value = figures.value(ui, mi, as_of);
      const Target* target = whole ? unit.target(mi) : nullptr;
      if (target) v.target = target->value;
      if (v.target && v.value) {
        v.shortfall = *v.value < *v.target ? difference(*v.target, *v.value) : Ratio(0);
      }
      // Own as of the day: a row handed in later is not known yet.
      v.own = metric.kind == MetricKind::rate
                  ? figures.has_own_on(ui, metric.numerator_index(), as_of) &&
                        figures.has_own_on(ui, metric.denominator_index(), as_of)
                  : figures.has_own_on(ui, mi, as_of);
      days.clear();
      figures.append_change_days(ui, mi, days);
      for (std::int32_t d : days) {
        if (d <= as_of.day_number() && (!v.last_observed || d > v.last_observed->day_number()))
          v.last_observed = Date::from_day_number(d);
      }
      out.push_back(std::move(v));
    }
  }
  return out;
}

}  // namespace canbao
