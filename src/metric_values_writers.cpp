// Writers of metric value queries (include/canbao/metric_values.hpp): text,
// CSV and the JSON value call_json answers for {"op":"values"}. Formatting
// only: figures come from the MetricValues, names from the policy.
#include <canbao/metric_values.hpp>

#include <ostream>
#include <string>
#include <vector>

#include <canbao/policy.hpp>

#include "detail/csv.hpp"
#include "detail/int128.hpp"
#include "detail/result_json.hpp"
#include "detail/text_table.hpp"

namespace canbao {
namespace {

using nlohmann::json;

json ratio_or_null(const std::optional<Ratio>& r) {
  return r ? json(r->decimal_string()) : json(nullptr);
}
std::string ratio_or_empty(const std::optional<Ratio>& r) {
  return r ? r->decimal_string() : std::string();
}

// A rate in percent cut (not rounded) to two decimals, as the report prints
// it: 89.999% shows 89.99%, never a 90.00% that is not met.
std::string percent_cut(const Ratio& r) {
  const detail::int128 hundredths = detail::int128{r.num} * 10000 / r.den;
  const bool negative = hundredths < 0;
  const detail::int128 a = negative ? -hundredths : hundredths;
  const auto whole = static_cast<long long>(a / 100);
  const auto frac = static_cast<int>(a % 100);
  return std::string(negative ? "-" : "") + std::to_string(whole) + "." + (frac < 10 ? "0" : "") +
         std::to_string(frac) + "%";
}

// As an official reads it: counts whole, averages to the fen (元), rates in
// percent with two decimals; "—" when there is none.
std::string shown(MetricKind kind, const std::optional<Ratio>& v) {
  if (!v) return "—";
  switch (kind) {
    case MetricKind::count:
      return v->decimal_string(0);
    case MetricKind::average: {
      std::string text = v->decimal_string(2);  // trimmed: "352", "331.2"
      const std::size_t dot = text.find('.');
      if (dot == std::string::npos) return text + ".00";
      return text + std::string(2 - (text.size() - dot - 1), '0');
    }
    case MetricKind::rate:
      return percent_cut(*v);
  }
  return v->decimal_string();
}

}  // namespace

namespace detail {

json to_json_value(const std::vector<MetricValue>& values) {
  json out = json::array();
  for (const MetricValue& v : values) {
    out.push_back(
        {{"unit_id", v.unit_id},
         {"metric", v.metric_id},
         {"kind", metric_kind_name(v.kind)},
         {"value", ratio_or_null(v.value)},
         {"target", ratio_or_null(v.target)},
         {"shortfall", ratio_or_null(v.shortfall)},
         {"own", v.own},
         {"last_observed", v.last_observed ? json(v.last_observed->iso()) : json(nullptr)}});
  }
  return out;
}

}  // namespace detail

void write_metric_values_json(const std::vector<MetricValue>& values, std::ostream& out,
                              int indent) {
  detail::write_json_value(detail::to_json_value(values), out, indent);
}

void write_metric_values_csv(const std::vector<MetricValue>& values, const Policy& p,
                             std::ostream& out) {
  detail::write_csv_row(out, {"unit_id", "unit_name", "metric", "metric_name", "kind", "value",
                              "target", "shortfall", "own", "last_observed"});
  for (const MetricValue& v : values) {
    detail::write_csv_row(
        out, {v.unit_id, p.units.units[static_cast<std::size_t>(v.unit)].name, v.metric_id,
              p.metrics[static_cast<std::size_t>(v.metric)].name, metric_kind_name(v.kind),
              ratio_or_empty(v.value), ratio_or_empty(v.target), ratio_or_empty(v.shortfall),
              v.own ? "true" : "false", v.last_observed ? v.last_observed->iso() : ""});
  }
}

void write_metric_values_text(const std::vector<MetricValue>& values, const Policy& p, Date as_of,
                              std::ostream& out) {
  out << p.campaign.title << "\n";
  out << "指标值 [metric values] 截至 [as of] " << as_of.iso() << "\n\n";
  detail::TextTable t({false, false, true, true, true, false, false});
  t.header({"单位", "指标", "值", "目标", "差额", "来源", "最近数据"});
  t.header({"unit", "metric", "value", "target", "shortfall", "figure", "last observed"});
  t.rule();
  for (const MetricValue& v : values) {
    const Unit& u = p.units.units[static_cast<std::size_t>(v.unit)];
    const Metric& m = p.metrics[static_cast<std::size_t>(v.metric)];
    t.row({u.name + " " + u.id, m.name + " " + m.id, shown(v.kind, v.value),
           v.target ? shown(v.kind, v.target) : "", v.shortfall ? shown(v.kind, v.shortfall) : "",
           v.own                  ? "本级 [own]"
           : u.children().empty() ? "无数据 [no rows]"
                                  : "汇总 [rolled up]",
           v.last_observed ? v.last_observed->iso() : ""});
  }
  t.print_trimmed(out);
}

}  // namespace canbao
