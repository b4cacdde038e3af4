// Metric value queries: any metric of any unit on any day, next to the unit's
// target for it and the shortfall ("What is the city's weighted average
// contribution today?", issue 12). The values are the rolled-up figures
// Progress::value gives (progress.hpp): counts add up, averages are weighted
// by their weight count (001 三: 人均缴费 by 个人缴费人数), rates are rolled-up
// numerator over rolled-up denominator. Pure: reads nothing after as_of.
#pragma once

#include <canbao/export.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/metric.hpp>
#include <canbao/progress.hpp>
#include <canbao/ratio.hpp>

namespace canbao {

// Which values to give. Empty fields mean every unit / every metric / the
// whole figures. An id the policy does not have is an ArgumentError naming
// "unit", "metric" or "segment" (with the closest ids it does have).
struct MetricQuery {
  std::string unit{};
  std::string metric{};
  std::string segment{};  // a Campaign::segments id: that segment's own figures
};

struct MetricValue {
  int unit = -1;  // index into Policy::units.units
  std::string unit_id;
  int metric = -1;  // index into Policy::metrics
  std::string metric_id;
  MetricKind kind = MetricKind::count;
  // Nothing when undefined: an average nobody reported yet, a rate whose
  // denominator is 0. Counts are n/1 (0 before the first observation).
  std::optional<Ratio> value;
  // The unit's target for the metric; nothing when it has none, and for a
  // segment's figures (targets are about the whole figures).
  std::optional<Ratio> target;
  // target - value when the value is below the target, 0 when it is met;
  // nothing when there is no target or no value.
  std::optional<Ratio> shortfall;
  // The unit's own reported figure (Progress::has_own; for a rate: its
  // numerator and denominator both), or false: rolled up from its children.
  bool own = false;
  // The last day on or before as_of on which a figure the value is made of
  // changed (the last observation used); nothing before any.
  std::optional<Date> last_observed;
};

// Units in policy order, then metrics in policy order within each unit.
CANBAO_API std::vector<MetricValue> metric_values(const Progress& progress, Date as_of,
                                                  const MetricQuery& query = {});

// Writers (src/metric_values_writers.cpp; formatting only, names from the
// policy the values were evaluated against), documented in docs/values.md:
// - text: one aligned table, unit name next to id, metric name, counts as
//   whole numbers, averages with two decimals, rates as percentages;
// - CSV: unit_id, unit_name, metric, metric_name, kind, value, target,
//   shortfall, own, last_observed (exact decimals as in JSON, empty when none);
// - JSON: the array call_json answers for {"op":"values"}, then a newline
//   (indent -1: one line, the bytes of call_json).
CANBAO_API void write_metric_values_text(const std::vector<MetricValue>& values,
                                         const Policy& policy, Date as_of, std::ostream& out);
CANBAO_API void write_metric_values_csv(const std::vector<MetricValue>& values,
                                        const Policy& policy, std::ostream& out);
CANBAO_API void write_metric_values_json(const std::vector<MetricValue>& values, std::ostream& out,
                                         int indent = 2);

}  // namespace canbao
