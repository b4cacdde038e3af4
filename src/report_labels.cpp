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

std::vector<ReportColumn> ranking_columns(const Scoring& s) {
  std::vector<ReportColumn> cols = {{"名次", "rank", true}, {"单位", "unit"}};
  for (const Indicator& ind : s.indicators) {
    cols.push_back(
        {ind.name + "(" + ind.weight.decimal_string() + "分)", ind.id + " completion", true});
  }
  cols.push_back({"时效加分", "bonus", true});
  if (!s.deductions.empty()) cols.push_back({"扣分", "deducted", true});
  cols.push_back({"总分", "score", true});
  cols.push_back({"等次", "grade"});
  cols.push_back({"评先评优资格", "eligible for awards"});
  return cols;
}

std::vector<std::string> ranking_cells(const Policy& p, const Scoring& s, const UnitScore& u,
                                       bool provisional) {
  std::vector<std::string> cells = {std::to_string(u.rank), unit_label(p, u.unit)};
  for (const IndicatorScore& i : u.indicators) {
    cells.push_back(i.completion ? percent_truncated(*i.completion) : "—");
  }
  cells.push_back(points_string(u.bonus_micro_points));
  if (!s.deductions.empty()) {
    std::int64_t off = 0;
    for (const DeductionScore& d : u.deductions) off += d.micro_points;
    cells.push_back(points_string(off));
  }
  cells.push_back(points_string(u.total_micro_points));
  // 003 三(三): the band the score reached, when an award was withheld.
  cells.push_back(u.grade == u.grade_by_score
                      ? grade_name(s, u.grade)
                      : grade_name(s, u.grade) + " (得分达" + grade_name(s, u.grade_by_score) +
                            ", 未完成目标不得评优 [score reached " + u.grade_by_score +
                            "; target missed])");
  if (provisional) cells.back() += " (暂定)";
  cells.push_back(u.eligible_for_awards ? "是 [yes]" : "否 [no]");
  return cells;
}

std::vector<std::string> missed_target_lines(const Policy& p, const UnitScore& u) {
  std::vector<std::string> lines;
  for (const MissedTarget& m : u.missed_targets) {
    lines.push_back(unit_label(p, u.unit) + ": " + metric_of(p, m.metric).name + " " +
                    value_text(p, m.metric, m.value) + " < 目标 [target] " +
                    value_text(p, m.metric, m.target));
  }
  return lines;
}

}  // namespace canbao::detail
