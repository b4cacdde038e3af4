// The labels the human campaign reports share (detail/report_labels.hpp).
#include "detail/report_labels.hpp"

#include <string>

#include "detail/int128.hpp"
#include "detail/text_table.hpp"

namespace canbao::detail {

// "68.04%": a percentage truncated (not rounded) to two decimals, so a value
// just under a threshold never prints as reaching it (69.999% -> 69.99%).
std::string percent_truncated(const Ratio& r) {
  detail::int128 n = static_cast<detail::int128>(r.num) * 10000 / r.den;  // hundredths of a percent
  const bool negative = n < 0;
  if (negative) n = -n;
  const auto whole = static_cast<long long>(n / 100);
  const auto frac = static_cast<int>(n % 100);
  return (negative ? "-" : "") + std::to_string(whole) + "." + (frac < 10 ? "0" : "") +
         std::to_string(frac) + "%";
}

const Metric& metric_of(const Policy& p, int index) {
  return p.metrics[static_cast<std::size_t>(index)];
}

// A metric value as its kind reads: rates as percentages, others as decimals.
std::string value_text(const Policy& p, int metric, const std::optional<Ratio>& v) {
  if (!v) return "—";
  if (metric_of(p, metric).kind == MetricKind::rate) return percent_truncated(*v);
  return v->decimal_string(2);
}

std::string unit_label(const Policy& p, int unit) {
  const Unit& u = p.units.units[static_cast<std::size_t>(unit)];
  return u.name + " " + u.id;
}

std::string date_or(const std::optional<Date>& d, const std::string& none) {
  return d ? d->iso() : none;
}

std::string condition_text(const Policy& p, const Condition& c) {
  const Metric& m = metric_of(p, c.metric_index());
  std::string threshold = c.use_target                 ? std::string("目标 [target]")
                          : m.kind == MetricKind::rate ? c.threshold.percent_string(4)
                                                       : c.threshold.decimal_string();
  return m.name + " " + detail::comparison_sign(c.comparison) + " " + threshold;
}

const char* milestone_status_zh(MilestoneStatus s) {
  switch (s) {
    case MilestoneStatus::met_on_time:
      return "按时完成";
    case MilestoneStatus::met_late:
      return "逾期完成";
    case MilestoneStatus::lost:
      return "得而复失";
    case MilestoneStatus::missed:
      return "未完成";
    case MilestoneStatus::reached:
      return "已达标(未到期)";
    case MilestoneStatus::not_yet_due:
      return "未到期";
  }
  return "?";
}

std::string tier_text(const WorkFundTier& t, std::size_t index) {
  return "第" + std::to_string(index + 1) + "档 (≤" + t.deadline.date.iso() + ", " +
         t.per_person.yuan_string() + "元/人)";
}

std::string late_text(const LateRule& late) {
  if (late.kind == LateRule::Kind::zero) return "逾期 (不予拨付)";
  return "逾期 (" + late.per_person.yuan_string() + "元/人)";
}

std::string payout_tier_text(const WorkFund& wf, const WorkFundPayout& p) {
  switch (p.status) {
    case WorkFundStatus::tier:
      return tier_text(wf.tiers[static_cast<std::size_t>(p.tier)],
                       static_cast<std::size_t>(p.tier));
    case WorkFundStatus::late:
      return late_text(wf.late);
    case WorkFundStatus::not_complete:
      return "尚未完成 (截止日未过)";
  }
  return "?";
}

std::string grade_name(const Scoring& s, const std::string& grade) {
  for (const GradeBand& g : s.grades) {
    if (g.grade == grade) return g.name.empty() ? g.grade : g.name;
  }
  return grade.empty() ? "—" : grade;
}

}  // namespace canbao::detail
