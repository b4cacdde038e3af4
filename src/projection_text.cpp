// The projections section of the human report (docs/projections.md).
// Formatting only: every figure comes from the ProjectionReport, names and
// conditions from the policy.
#include "detail/projection_text.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include <canbao/report.hpp>

#include "detail/text_table.hpp"

namespace canbao {
namespace detail {
namespace {

bool is_rate(const Policy& p, int metric) {
  return p.metrics[static_cast<std::size_t>(metric)].kind == MetricKind::rate;
}

std::string fixed(long double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*Lf", decimals, v);
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);  // "-0.00"
  return s;
}

// Values as the report prints them: rates as percentages truncated to two
// decimals (a value just under a threshold never prints as reaching it),
// others with two decimals.
std::string value_text(const Policy& p, int metric, long double v) {
  if (!is_rate(p, metric)) return fixed(v, 2);
  const long double hundredths = std::trunc(v * 10000.0L);
  return fixed(hundredths / 100.0L, 2) + "%";
}
std::string value_text(const Policy& p, int metric, const std::optional<Ratio>& v) {
  if (!v) return "—";
  return value_text(p, metric, static_cast<long double>(v->num) / static_cast<long double>(v->den));
}
std::string value_text(const Policy& p, int metric, const std::optional<long double>& v) {
  return v ? value_text(p, metric, *v) : "—";
}

// A daily change: rates in percentage points with four decimals.
std::string per_day_text(const Policy& p, int metric, const std::optional<long double>& v) {
  if (!v) return "—";
  const std::string s = is_rate(p, metric) ? fixed(*v * 100.0L, 4) + "%" : fixed(*v, 2);
  return s[0] == '-' ? s : "+" + s;
}

const char* outlook_zh(Outlook o) {
  switch (o) {
    case Outlook::will_make_it:
      return "可望达标 [will make it]";
    case Outlook::at_risk:
      return "有风险 [at risk]";
    case Outlook::will_miss:
      return "预计未达标 [will miss]";
    case Outlook::no_trend:
      return "无趋势 [no trend]";
  }
  return "?";
}

std::string unit_label(const Policy& p, int unit) {
  const Unit& u = p.units.units[static_cast<std::size_t>(unit)];
  return u.name + " " + u.id;
}

void milestones_part(const ProjectionReport& r, const Policy& p, std::ostream& out) {
  if (r.milestones.empty()) {
    out << "  截至日期后无到期节点目标 [no milestone is due after the as-of day]\n\n";
    return;
  }
  int n = 0;
  for (const MilestoneProjection& mp : r.milestones) {
    const Milestone& m = p.milestones[static_cast<std::size_t>(mp.milestone)];
    const int metric = m.condition.metric_index();
    out << "  (" << ++n << ") " << m.name << " [" << m.id << "]\n"
        << "      截止 [due] " << mp.due.iso() << ", 剩余 [days left] " << (mp.due - r.as_of).count
        << " 天" << (mp.segment.empty() ? "" : ", 分类 [segment] " + mp.segment) << "\n\n";
    TextTable t({false, false, true, true, true, true, true});
    t.header({"单位", "预测", "当前值", "截止日预测值", "目标值", "所需日增", "当前日增"});
    t.header({"unit", "outlook", "current", "projected", "threshold", "needed/day", "trend/day"});
    t.rule();
    for (const MilestoneUnitProjection& u : mp.units) {
      t.row({unit_label(p, u.unit), outlook_zh(u.outlook), value_text(p, metric, u.current),
             value_text(p, metric, u.projected),
             std::string(detail::comparison_sign(m.condition.comparison)) + " " +
                 value_text(p, metric, std::optional<Ratio>(u.threshold)),
             per_day_text(p, metric, u.needed_per_day), per_day_text(p, metric, u.trend_per_day)});
    }
    t.print(out);
    out << "\n";
  }
}

std::string tier_text(const WorkFundUnitProjection& u) {
  if (u.kind == FundProjectionKind::unknown) return "—";
  if (u.status == WorkFundStatus::tier) return "第" + std::to_string(u.tier + 1) + "档";
  return "逾期 [late]";
}

const char* kind_zh(FundProjectionKind k) {
  switch (k) {
    case FundProjectionKind::actual:
      return "实际 [actual]";
    case FundProjectionKind::projected:
      return "预测 [projected]";
    case FundProjectionKind::unknown:
      return "未知 [unknown]";
  }
  return "?";
}

void work_fund_part(const WorkFundProjection& wf, const Policy& p, std::ostream& out) {
  out << "  工作经费预测 [projected work fund]:\n\n";
  TextTable t({false, false, false, false, true, true, false, true, false});
  t.header({"单位", "依据", "完成日期", "档次", "标准(元/人)", "基数(人)", "基数日期", "金额(元)",
            "说明"});
  t.header({"unit", "kind", "completed on", "tier", "yuan/person", "basis", "basis on",
            "amount (yuan)", "note"});
  t.rule();
  for (const WorkFundUnitProjection& u : wf.units) {
    const bool known = u.kind != FundProjectionKind::unknown;
    t.row({unit_label(p, u.unit), kind_zh(u.kind),
           u.completed_on ? u.completed_on->iso() : (known ? "截止日前未完成" : "—"), tier_text(u),
           known ? u.per_person.yuan_string() : "—", known ? std::to_string(u.basis) : "—",
           known ? u.basis_on.iso() : "—", known ? u.amount.yuan_string() : "—", u.reason});
  }
  t.print(out);
  out << "\n  已确定 [actual]: " << wf.actual_total.yuan_string()
      << " 元; 预测 [projected]: " << wf.projected_total.yuan_string()
      << " 元; 合计 [total]: " << wf.total.yuan_string() << " 元\n";
  if (wf.unknown > 0) {
    out << "  无法预测 [unknown]: " << wf.unknown
        << " 个单位, 未计入合计 [units left out of the total]\n";
  }
  out << "\n";
}

}  // namespace

void write_projections_section(const ProjectionReport& r, const Policy& p, std::ostream& out,
                               const std::string& title) {
  out << title << "\n\n";
  out << "  方法 [method]: " << r.method;
  if (r.observations > 0) {
    out << ", 最近 " << r.observations
        << " 个观测点的最小二乘直线 [least-squares line over the last " << r.observations
        << " observation points]";
  }
  out << "\n  风险余量 [at-risk margin]: " << r.at_risk_margin.percent_string(2)
      << " (预测值为估计, 不是规则 [projections are estimates, not rules])\n\n";
  milestones_part(r, p, out);
  if (r.work_fund) work_fund_part(*r.work_fund, p, out);
}

}  // namespace detail

void write_projections_text(const CampaignReport& report, const Policy& policy, std::ostream& out) {
  if (!report.projections) return;
  detail::write_projections_section(*report.projections, policy, out, "预测 [projections]");
}

}  // namespace canbao
