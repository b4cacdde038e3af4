// The report's action part as text (report_action.hpp): the summary under the
// header and the action list. Formatting only: every figure comes from
// CampaignReport::action, every name from the policy.
#include <canbao/report.hpp>

#include <ostream>
#include <string>
#include <vector>

#include <canbao/policy.hpp>

#include "detail/report_labels.hpp"
#include "detail/text_table.hpp"

namespace canbao {

namespace {

using detail::unit_label;  // "红旗村 hongqi", as in every report section

// "1,188.80", "1,486": thousands separators in the integer part (text only;
// JSON keeps plain numbers).
std::string grouped(const std::string& s) {
  std::size_t start = s.empty() || s[0] != '-' ? 0 : 1;
  std::size_t end = s.find('.');
  if (end == std::string::npos) end = s.size();
  std::string out = s.substr(0, start);
  for (std::size_t i = start; i < end; ++i) {
    out += s[i];
    const std::size_t left = end - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  return out + s.substr(end);
}

std::string yuan(Fen f) { return grouped(f.yuan_string()) + " 元"; }

// A metric's figure: rates as percentages (two decimals, rounded: these are
// amounts still to do, not thresholds reached), others as grouped decimals.
std::string figure(const Policy& p, int metric, const Ratio& v) {
  if (p.metrics[static_cast<std::size_t>(metric)].kind == MetricKind::rate)
    return v.percent_string(2);
  return grouped(v.decimal_string(2));
}

const char* standing_zh(UnitStanding s) {
  switch (s) {
    case UnitStanding::late:
      return "滞后 [late]";
    case UnitStanding::at_risk:
      return "有风险 [at risk]";
    case UnitStanding::no_trend:
      return "趋势不明 [no trend]";
    case UnitStanding::on_track:
      return "正常 [on track]";
    case UnitStanding::complete:
      return "已完成 [complete]";
  }
  return "?";
}

std::string days_text(std::int32_t days) {
  return "还有 " + std::to_string(days) + " 天 [" + std::to_string(days) + " days left]";
}

std::string line(const std::string& label, const std::string& value) {
  return "  " + detail::pad(label, 34, false) + value + "\n";
}

}  // namespace

void write_summary_text(const CampaignReport& r, const Policy& p, std::ostream& out) {
  const ReportSummary& s = r.action.summary;
  out << "摘要 [summary]\n\n";
  out << line("单位 [units]:",
              std::to_string(s.units) + " 个 (有目标的单位 [units with a target])");
  out << line("  已完成 [complete]:", std::to_string(s.complete));
  out << line("  正常 [on track]:", std::to_string(s.on_track));
  out << line("  有风险 [at risk]:", std::to_string(s.at_risk));
  out << line("  滞后 [late]:", std::to_string(s.late));
  if (s.no_trend > 0) out << line("  趋势不明 [no trend]:", std::to_string(s.no_trend));
  if (s.paid) out << line("已拨付 [paid so far]:", yuan(*s.paid));
  if (s.still_possible)
    out << line("尚可争取 [still possible]:",
                yuan(*s.still_possible) +
                    " (未完成单位可达最高档次 × 当前基数 [best open tier × current basis])");
  out << line("下一节点 [next milestone]:",
              s.next_milestone
                  ? s.next_milestone->iso() + " (" + days_text(*s.days_to_next_milestone) + ")"
                  : std::string("无 [none]"));
  out << line("下次报送 [next reporting]:", r.next_reporting_deadline
                                                ? r.next_reporting_deadline->due.iso() + " (" +
                                                      days_text(*s.days_to_next_reporting) + ")"
                                                : std::string("无 [none]"));
  const std::string last = s.last_deadline ? s.last_deadline->iso() : std::string("无 [none]");
  out << line("等次与名次 [grades and ranks]:",
              s.provisional ? "暂定 [provisional] (最后截止日 [last deadline] " + last + ")"
                            : "最终 [final] (最后截止日 [last deadline] " + last + ")");
  (void)p;
  out << "\n";
}

void write_action_text(const CampaignReport& r, const Policy& p, std::ostream& out) {
  const ActionReport& a = r.action;
  if (a.units.empty()) return;
  out << "  单位按轻重排列 [worst first]: 滞后, 有风险, 趋势不明, 正常, 已完成; 同类按完成比例升序 "
         "[then by completion ascending]\n\n";
  detail::TextTable t({false, false, false, true, true, true, false, true, true});
  t.header({"单位", "状态", "指标", "目标", "当前", "差额", "截止", "剩余天数", "日均需完成"});
  t.header({"unit", "standing", "metric", "target", "current", "shortfall", "deadline", "days left",
            "needed per day"});
  t.rule();
  for (const UnitAction& u : a.units) {
    bool first = true;
    for (const TargetGap& g : u.gaps) {
      std::string days = g.deadline ? std::to_string(g.days_left) : "—";
      std::string needed = "—";
      switch (g.status) {
        case GapStatus::met:
          needed = "已达标 [met]";
          break;
        case GapStatus::open:
          if (g.needed_per_day) needed = figure(p, g.metric, *g.needed_per_day);
          break;
        case GapStatus::due_today:
          needed = "今日截止 [due today]";
          break;
        case GapStatus::overdue:
          needed = "逾期 [overdue]";
          break;
        case GapStatus::no_value:
          break;
      }
      t.row({first ? unit_label(p, u.unit) : "", first ? standing_zh(u.standing) : "", g.metric_id,
             figure(p, g.metric, g.target), g.current ? figure(p, g.metric, *g.current) : "—",
             figure(p, g.metric, g.shortfall), g.deadline ? g.deadline->iso() : "—", days, needed});
      first = false;
    }
  }
  t.print(out);  // every line as wide as the table (docs/report.md Layout)
  out << "\n  截止 [deadline]: 需要该目标的下一个截止日 (节点目标, 工作经费档次, 时效加分; "
         "都已过则取最后一个; "
         "都没有则取活动最后截止日) [the next deadline that needs the target]\n"
      << "  日均需完成 [needed per day] = 差额 ÷ 剩余天数 [shortfall / days left]\n\n";

  bool any_reason = false;
  for (const UnitAction& u : a.units) any_reason = any_reason || !u.reasons.empty();
  if (any_reason) {
    out << "  原因 [why]:\n";
    for (const UnitAction& u : a.units) {
      if (u.reasons.empty()) continue;
      out << "    " << unit_label(p, u.unit) << ": ";
      for (std::size_t i = 0; i < u.reasons.size(); ++i) out << (i ? "; " : "") << u.reasons[i];
      out << "\n";
    }
    out << "\n";
  }

  bool any_stake = false;
  for (const UnitAction& u : a.units) any_stake = any_stake || !u.at_stake.empty();
  if (!any_stake) return;
  out << "  尚可争取的工作经费 [work fund still at stake] (基数截至报告日 [basis as of the report "
         "day]):\n";
  for (const UnitAction& u : a.units) {
    if (u.at_stake.empty()) continue;
    out << "    " << unit_label(p, u.unit) << ":\n";
    for (const FundAtStake& f : u.at_stake) {
      const std::string when =
          f.deadline ? "完成 by " + f.deadline->iso() : std::string("逾期完成 [late]");
      out << "      " << when << " → " << grouped(f.per_person.yuan_string()) << " 元/人 × "
          << grouped(std::to_string(f.basis)) << " = " << yuan(f.amount) << "\n";
    }
  }
  out << "\n";
}

}  // namespace canbao
