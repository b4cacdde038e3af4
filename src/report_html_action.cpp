// The action part of the HTML report (detail/report_html_action.hpp): the
// summary under the header and the worst-first action list, from
// CampaignReport::action (report_action.hpp). Formatting only.
#include "detail/report_html_action.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <canbao/report.hpp>

#include "detail/html_table.hpp"
#include "detail/report_labels.hpp"
#include "detail/svg.hpp"

namespace canbao::detail {

namespace {

struct StandingLabel {
  UnitStanding standing;
  const char* zh;
  const char* en;
  const char* css;
};

// Worst first, as the action list sorts.
// The words of the text report (report_action_text.cpp).
const StandingLabel kStandings[] = {
    {UnitStanding::late, "滞后", "late", "bad"},
    {UnitStanding::at_risk, "有风险", "at risk", "late"},
    {UnitStanding::no_trend, "趋势不明", "no trend", "pending"},
    {UnitStanding::on_track, "正常", "on track", "track"},
    {UnitStanding::complete, "已完成", "complete", "ok"},
};

const StandingLabel& label_of(UnitStanding s) {
  for (const StandingLabel& l : kStandings) {
    if (l.standing == s) return l;
  }
  return kStandings[0];
}

std::int64_t count_of(const ReportSummary& s, UnitStanding standing) {
  switch (standing) {
    case UnitStanding::late:
      return s.late;
    case UnitStanding::at_risk:
      return s.at_risk;
    case UnitStanding::no_trend:
      return s.no_trend;
    case UnitStanding::on_track:
      return s.on_track;
    case UnitStanding::complete:
      return s.complete;
  }
  return 0;
}

std::string days_text(std::int32_t days) {
  return std::to_string(days) + " 天 [" + std::to_string(days) + (days == 1 ? " day" : " days") +
         "]";
}

// The standings as one bar split by count, each part labelled.
std::string standings_chart(const ReportSummary& s) {
  constexpr double left = 8, right = 712, top = 6, bar = 26;
  Svg svg(720, 44, "chart summary-chart", "单位状况 [units by standing]");
  const double total = static_cast<double>(s.units > 0 ? s.units : 1);
  double x = left;
  for (const StandingLabel& l : kStandings) {
    const std::int64_t n = count_of(s, l.standing);
    if (n == 0) continue;
    const double w = (right - left) * static_cast<double>(n) / total;
    svg.open_group(std::string("part ") + l.css);
    svg.rect(x, top, w, bar, std::string("bar ") + l.css,
             std::string(l.zh) + " [" + l.en + "]: " + std::to_string(n));
    svg.text(x + w / 2, top + 17, std::string(l.zh) + " " + std::to_string(n), "on-bar", "middle");
    svg.close_group();
    x += w;
  }
  return svg.str();
}

std::string gap_deadline_text(const TargetGap& g) {
  if (!g.deadline) return "—";
  std::string text = g.deadline->iso();
  if (!g.deadline_ref.empty()) text += " (" + g.deadline_ref + ")";
  return text;
}

// Shortfalls and rates still to do: rates rounded to two decimals (not
// truncated: these are amounts to do, not thresholds reached), as the text.
std::string figure(const Policy& p, int metric, const Ratio& v) {
  if (metric_of(p, metric).kind == MetricKind::rate) return v.percent_string(2);
  return v.decimal_string(2);
}

std::string gap_status_text(const Policy& p, const TargetGap& g) {
  switch (g.status) {
    case GapStatus::met:
      return "已达标 [met]";
    case GapStatus::open:
      return (g.needed_per_day ? figure(p, g.metric, *g.needed_per_day) : std::string("—")) +
             " (还有 " + days_text(g.days_left) + ")";
    case GapStatus::due_today:
      return "今日截止 [due today]";
    case GapStatus::overdue:
      return "逾期 [overdue] " + days_text(-g.days_left);
    case GapStatus::no_value:
      return "无数值 [no value]";
  }
  return "?";
}

std::string stake_rule_text(const WorkFund& wf, const FundAtStake& f) {
  if (f.tier < 0) return late_text(wf.late);
  return tier_text(wf.tiers[static_cast<std::size_t>(f.tier)], static_cast<std::size_t>(f.tier));
}

}  // namespace

void write_summary_html(const CampaignReport& r, std::ostream& out) {
  const ReportSummary& s = r.action.summary;
  out << "<section id=\"summary\">\n<h2>" << zh_en("摘要", "summary");
  if (s.provisional) out << " — " << zh_en("暂定", "provisional");
  out << "</h2>\n<dl class=\"facts summary\">\n";
  for (const StandingLabel& l : kStandings) {
    out << "<dt>" << zh_en(l.zh, l.en) << "</dt><dd data-standing=\""
        << unit_standing_name(l.standing) << "\">" << count_of(s, l.standing) << " / " << s.units
        << "</dd>\n";
  }
  if (s.paid) {
    out << "<dt>" << zh_en("已拨付", "paid so far") << "</dt><dd>"
        << fen_cell(*s.paid, "summary-paid") << " 元</dd>\n";
  }
  if (s.still_possible) {
    out << "<dt>" << zh_en("尚可争取", "still possible") << "</dt><dd>"
        << fen_cell(*s.still_possible, "summary-still-possible")
        << " 元 (未完成单位可达最高档次 × 当前基数 <span class=\"en\">[best open tier × current "
           "basis]</span>)</dd>\n";
  }
  if (s.next_milestone) {
    out << "<dt>" << zh_en("下一节点", "next milestone") << "</dt><dd>" << s.next_milestone->iso();
    if (s.days_to_next_milestone) out << ", " << esc(days_text(*s.days_to_next_milestone));
    out << "</dd>\n";
  }
  if (s.days_to_next_reporting && r.next_reporting_deadline) {
    out << "<dt>" << zh_en("下次报送", "next report due") << "</dt><dd>"
        << r.next_reporting_deadline->due.iso() << ", " << esc(days_text(*s.days_to_next_reporting))
        << "</dd>\n";
  }
  out << "<dt>" << zh_en("等次与名次", "grades and ranks") << "</dt><dd id=\"provisional\">"
      << (s.provisional ? zh_en("暂定", "provisional") : zh_en("最终", "final"));
  if (s.last_deadline) {
    out << " (最后截止日 <span class=\"en\">[last deadline]</span> " << s.last_deadline->iso()
        << ")";
  }
  out << "</dd>\n";
  out << "</dl>\n<figure>\n"
      << standings_chart(s) << "<figcaption>" << zh_en("单位状况", "units by standing")
      << "</figcaption>\n</figure>\n</section>\n";
}

void write_action_html(const CampaignReport& r, const Policy& p, std::ostream& out,
                       const std::string& title) {
  const ActionReport& a = r.action;
  if (a.units.empty()) return;
  out << "<section id=\"action\">\n<h2>" << title << "</h2>\n"
      << "<p class=\"note\">单位按轻重排列: 滞后, 有风险, 趋势不明, 正常, 已完成; "
         "同类按完成比例升序 "
         "<span class=\"en\">[worst first, then by completion ascending]</span></p>\n";
  HtmlTable t({{"单位", "unit"},
               {"状况", "standing"},
               {"指标", "metric"},
               {"目标", "target", true},
               {"当前", "current", true},
               {"差额", "shortfall", true},
               {"截止", "deadline"},
               {"日均需完成", "needed per day"}});
  for (const UnitAction& u : a.units) {
    const StandingLabel& l = label_of(u.standing);
    std::string reasons;
    for (std::size_t i = 0; i < u.reasons.size(); ++i) reasons += (i ? "; " : "") + u.reasons[i];
    const std::string standing = "<span class=\"standing " + std::string(l.css) + "\">" +
                                 zh_en(l.zh, l.en) + "</span>" +
                                 (reasons.empty() ? "" : "<br><small>" + esc(reasons) + "</small>");
    if (u.gaps.empty()) {
      t.row({esc(unit_label(p, u.unit)), standing, "—", "", "", "", "", ""}, u.unit_id);
      continue;
    }
    for (std::size_t i = 0; i < u.gaps.size(); ++i) {
      const TargetGap& g = u.gaps[i];
      std::vector<std::string> row =
          cells({i == 0 ? unit_label(p, u.unit) : "", "", metric_of(p, g.metric).name,
                 figure(p, g.metric, g.target),
                 g.current ? figure(p, g.metric, *g.current) : std::string("—"),
                 figure(p, g.metric, g.shortfall), gap_deadline_text(g), gap_status_text(p, g)});
      if (i == 0) row[1] = standing;
      t.row(row, i == 0 ? u.unit_id : "", i == 0 ? "" : "more");
    }
  }
  t.print(out, "action");
  if (!p.work_fund) {
    out << "</section>\n";
    return;
  }
  HtmlTable stake({{"单位", "unit"},
                   {"完成于", "complete by"},
                   {"标准(元/人)", "yuan/person", true},
                   {"基数(人)", "basis", true},
                   {"金额(元)", "amount (yuan)", true}});
  bool any = false;
  for (const UnitAction& u : a.units) {
    for (std::size_t i = 0; i < u.at_stake.size(); ++i) {
      const FundAtStake& f = u.at_stake[i];
      std::vector<std::string> row =
          cells({i == 0 ? unit_label(p, u.unit) : "", stake_rule_text(*p.work_fund, f),
                 f.per_person.yuan_string(), std::to_string(f.basis)});
      row.push_back(fen_cell(f.amount));
      stake.row(row, i == 0 ? u.unit_id : "", "stake");
      any = true;
    }
  }
  if (any) {
    out << "<h3>" << zh_en("尚可争取的工作经费", "work fund still at stake") << "</h3>\n"
        << "<p class=\"note\">基数截至报告日 <span class=\"en\">[basis as of the report "
           "day]</span></p>\n";
    stake.print(out, "at-stake");
  }
  out << "</section>\n";
}

}  // namespace canbao::detail
