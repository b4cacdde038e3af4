// The SVG charts of the HTML report (detail/report_html_charts.hpp). Geometry
// is in doubles (a drawing only); every figure printed on a chart comes from
// the exact values through the same labels as the text report.
#include "detail/report_html_charts.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "detail/report_labels.hpp"
#include "detail/svg.hpp"

namespace canbao::detail {

namespace {

// The drawing's frame in user units; the page scales it to the column width.
constexpr double kWidth = 720;
constexpr double kLabelRight = 176;  // unit names end here (right-aligned)
constexpr double kPlotLeft = 184;
constexpr double kPlotRight = 600;  // the value label follows the bar, up to kWidth
constexpr double kRow = 22;
constexpr double kBar = 14;
constexpr double kTop = 30;  // room for the threshold and deadline labels

double plot_x(double value, double max) {
  return kPlotLeft + (kPlotRight - kPlotLeft) * std::clamp(value / max, 0.0, 1.0);
}

const char* status_class(MilestoneStatus s) {
  switch (s) {
    case MilestoneStatus::met_on_time:
    case MilestoneStatus::reached:
      return "ok";
    case MilestoneStatus::met_late:
      return "late";
    case MilestoneStatus::lost:
    case MilestoneStatus::missed:
      return "bad";
    case MilestoneStatus::not_yet_due:
      return "pending";
  }
  return "pending";
}

const Unit& unit_of(const Policy& p, int unit) {
  return p.units.units[static_cast<std::size_t>(unit)];
}

}  // namespace

std::string milestone_chart(const MilestoneReport& mr, const Policy& p) {
  const Milestone& m = p.milestones[static_cast<std::size_t>(mr.result.milestone)];
  const Condition& c = m.condition;
  const int metric = c.metric_index();
  // Each bar's length: the value, or its share of the unit's target.
  std::vector<std::optional<double>> lengths;
  double max = c.use_target ? 1.0 : c.threshold.to_double();
  for (std::size_t i = 0; i < mr.result.units.size(); ++i) {
    std::optional<double> v;
    const std::optional<Ratio>& value = mr.value_on_due[i];
    if (value && c.use_target) {
      const Target* t = unit_of(p, mr.result.units[i].unit).target(metric);
      if (t && t->value.num != 0) v = value->to_double() / t->value.to_double();
    } else if (value) {
      v = value->to_double();
    }
    if (v) max = std::max(max, *v);
    lengths.push_back(v);
  }
  max = max > 0 ? max * 1.1 : 1.0;
  const double height = kTop + kRow * static_cast<double>(mr.result.units.size()) + 8;
  Svg svg(kWidth, height, "chart milestone-chart", m.name);
  const double threshold_x = plot_x(c.use_target ? 1.0 : c.threshold.to_double(), max);
  for (std::size_t i = 0; i < mr.result.units.size(); ++i) {
    const MilestoneUnitResult& u = mr.result.units[i];
    const double y = kTop + kRow * static_cast<double>(i);
    svg.open_group("row", u.unit_id);
    svg.text(kLabelRight, y + 11, unit_label(p, u.unit), "label", "end");
    const std::string value = value_text(p, metric, mr.value_on_due[i]);
    const double end = lengths[i] ? plot_x(*lengths[i], max) : kPlotLeft;
    svg.rect(kPlotLeft, y, end - kPlotLeft, kBar, std::string("bar ") + status_class(u.status),
             unit_label(p, u.unit) + ": " + value + " — " + milestone_status_zh(u.status));
    svg.text(std::max(end, threshold_x) + 4, y + 11, value + " " + milestone_status_zh(u.status),
             "value");
    svg.close_group();
  }
  svg.line(threshold_x, kTop - 6, threshold_x, height - 4, "threshold");
  svg.text(threshold_x, kTop - 10,
           c.use_target ? std::string("目标 [target] 100%") : condition_text(p, c), "threshold",
           "middle");
  return svg.str();
}

std::string completion_timeline(const CampaignReport& r, const Policy& p) {
  // The days drawn: the campaign's first day (or its first phase) to the
  // latest of as-of, the last tier deadline and the last completion.
  Date first = p.campaign.start ? p.campaign.start->date : r.as_of;
  for (const Phase& ph : p.campaign.phases) first = std::min(first, ph.start.date);
  Date last = r.as_of;
  std::vector<const UnitCompletion*> rows;
  for (const UnitCompletion& c : r.completions) {
    if (!c.evaluated) continue;
    rows.push_back(&c);
    if (c.completed_on) {
      first = std::min(first, *c.completed_on);
      last = std::max(last, *c.completed_on);
    }
  }
  if (p.work_fund) {
    for (const WorkFundTier& t : p.work_fund->tiers) last = std::max(last, t.deadline.date);
  }
  const double span = std::max(1, (last - first).count + 1);
  const auto x_of = [&](Date d) {
    return kPlotLeft + (kPlotRight - kPlotLeft) * (d - first).count / span;
  };
  const double height = kTop + 14 + kRow * static_cast<double>(rows.size()) + 22;
  const double bottom = height - 22;
  Svg svg(kWidth, height, "chart timeline-chart",
          "完成日期与经费档次截止日 [completion dates against the tier deadlines]");
  svg.line(kPlotLeft, bottom, kPlotRight, bottom, "axis");
  svg.text(kPlotLeft, bottom + 14, first.iso(), "tick", "start");
  svg.text(kPlotRight, bottom + 14, last.iso(), "tick", "end");
  if (p.work_fund) {
    const std::vector<WorkFundTier>& tiers = p.work_fund->tiers;
    for (std::size_t i = 0; i < tiers.size(); ++i) {
      const double x = x_of(tiers[i].deadline.date);
      svg.line(x, kTop - 2, x, bottom, "deadline");
      // Labels alternate in two lines so close deadlines (09-30, 10-15) do not overlap.
      svg.text(x, i % 2 ? kTop + 8 : kTop - 6,
               "第" + std::to_string(i + 1) + "档 ≤" + tiers[i].deadline.date.iso().substr(5),
               "deadline", "middle");
    }
  }
  const double as_of_x = x_of(r.as_of);
  svg.line(as_of_x, kTop - 16, as_of_x, bottom, "as-of");
  svg.text(as_of_x, kTop - 20, "截至 [as of] " + r.as_of.iso(), "as-of", "middle");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const UnitCompletion& c = *rows[i];
    const double y = kTop + 14 + kRow * static_cast<double>(i);
    svg.open_group("row", c.unit_id);
    svg.text(kLabelRight, y + 11, unit_label(p, c.unit), "label", "end");
    if (c.completed_on) {
      const double x = x_of(*c.completed_on);
      svg.rect(kPlotLeft, y + 5, x - kPlotLeft, 4, "span done");
      svg.circle(x, y + 7, 5, "mark done", unit_label(p, c.unit) + ": " + c.completed_on->iso());
      svg.text(std::max(x, as_of_x) + 8, y + 11, "完成 " + c.completed_on->iso(), "value");
    } else {
      svg.rect(kPlotLeft, y + 5, as_of_x - kPlotLeft, 4, "span open");
      svg.circle(as_of_x, y + 7, 5, "mark open", unit_label(p, c.unit) + ": 未完成 [not complete]");
      svg.text(as_of_x + 8, y + 11, "未完成 [not complete]", "value");
    }
    svg.close_group();
  }
  return svg.str();
}

std::string work_fund_chart(const WorkFundResult& wf, const WorkFund& rules) {
  // One row per tier, then the late rule: the units paid there and their sum.
  struct Row {
    std::string label;
    Fen amount;
    int units = 0;
    std::string css;
  };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < rules.tiers.size(); ++i)
    rows.push_back({tier_text(rules.tiers[i], i), Fen(0), 0, "tier tier-" + std::to_string(i)});
  rows.push_back({late_text(rules.late), Fen(0), 0, "late-rule"});
  int open = 0;
  for (const WorkFundPayout& pay : wf.payouts) {
    Row* row = pay.status == WorkFundStatus::tier   ? &rows[static_cast<std::size_t>(pay.tier)]
               : pay.status == WorkFundStatus::late ? &rows.back()
                                                    : nullptr;
    if (!row) {
      ++open;
      continue;
    }
    row->amount += pay.amount;
    ++row->units;
  }
  double max = 1;
  for (const Row& row : rows) max = std::max(max, static_cast<double>(row.amount.count()));
  max *= 1.05;
  constexpr double label_right = 236, left = 244, right = 560;
  const double height = 8 + kRow * static_cast<double>(rows.size() + 1) + 8;
  Svg svg(kWidth, height, "chart work-fund-chart", "按档次拨付的工作经费 [work fund by tier]");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const double y = 8 + kRow * static_cast<double>(i);
    const double w = (right - left) * static_cast<double>(row.amount.count()) / max;
    svg.text(label_right, y + 11, row.label, "label", "end");
    const std::string value =
        row.amount.yuan_string() + " 元 (" + std::to_string(row.units) + " 个单位 [units])";
    svg.rect(left, y, w, kBar, "bar " + row.css, row.label + ": " + value);
    svg.text(left + w + 4, y + 11, value, "value");
  }
  const double y = 8 + kRow * static_cast<double>(rows.size());
  svg.text(label_right, y + 11, "尚未完成 [not complete yet]", "label", "end");
  svg.text(left + 4, y + 11, std::to_string(open) + " 个单位 [units]", "value");
  return svg.str();
}

std::string ranking_chart(const Ranking& ranking, const Scoring& s, const Policy& p,
                          bool provisional) {
  constexpr double kMicro = 1e6;  // micro-points per point
  double max = 1;
  for (const UnitScore& u : ranking.units)
    max = std::max(max, static_cast<double>(u.total_micro_points) / kMicro);
  for (const GradeBand& g : s.grades) max = std::max(max, g.min_score.to_double());
  max *= 1.05;
  const double height = kTop + kRow * static_cast<double>(ranking.units.size()) + 8;
  Svg svg(kWidth, height, "chart ranking-chart", "考核得分与排名 [scores and ranking]");
  for (std::size_t i = 0; i < ranking.units.size(); ++i) {
    const UnitScore& u = ranking.units[i];
    const double y = kTop + kRow * static_cast<double>(i);
    svg.open_group("row", u.unit_id);
    svg.text(kLabelRight, y + 11, std::to_string(u.rank) + ". " + unit_label(p, u.unit), "label",
             "end");
    const double end = plot_x(static_cast<double>(u.total_micro_points) / kMicro, max);
    const std::string value = points_string(u.total_micro_points) + "分 " + grade_name(s, u.grade) +
                              (provisional ? " (暂定)" : "");
    svg.rect(kPlotLeft, y, end - kPlotLeft, kBar, "bar grade-" + u.grade,
             unit_label(p, u.unit) + ": " + value);
    svg.text(end + 4, y + 11, value, "value");
    svg.close_group();
  }
  for (std::size_t i = 0; i < s.grades.size(); ++i) {
    const GradeBand& g = s.grades[i];
    if (g.min_score.num <= 0) continue;
    const double x = plot_x(g.min_score.to_double(), max);
    svg.line(x, kTop - 4, x, height - 4, "threshold");
    svg.text(x, i % 2 ? kTop - 16 : kTop - 6, g.name + " ≥" + g.min_score.decimal_string() + "分",
             "threshold", "middle");
  }
  return svg.str();
}

}  // namespace canbao::detail
