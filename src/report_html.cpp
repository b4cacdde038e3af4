// The campaign report as one HTML page (report_html.hpp). Formatting only, like
// report_text.cpp: every figure comes from the CampaignReport, every name and
// rule parameter from the policy, the wording from detail/report_labels.hpp.
#include <canbao/report_html.hpp>

#include <cstdint>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "detail/html_table.hpp"
#include "detail/projection_text.hpp"
#include "detail/report_html_action.hpp"
#include "detail/report_html_charts.hpp"
#include "detail/report_labels.hpp"
#include "detail/svg.hpp"

namespace canbao {

namespace {

using detail::cells;
using detail::condition_text;
using detail::date_or;
using detail::esc;
using detail::fen_cell;
using detail::grade_name;
using detail::late_text;
using detail::metric_of;
using detail::milestone_status_zh;
using detail::missed_target_lines;
using detail::payout_tier_text;
using detail::percent_truncated;
using detail::ranking_cells;
using detail::ranking_columns;
using detail::ReportColumn;
using detail::tier_text;
using detail::unit_label;
using detail::value_text;
using detail::zh_en;
using Table = detail::HtmlTable;

// A4 portrait with 15 mm margins leaves 180 mm; the body never gets wider, so
// what a reader sees on screen is what prints. Charts scale with their viewBox.
const char* kStyle = R"(@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
  font-size: 10pt; line-height: 1.45; color: #1f2328; background: #fff; max-width: 180mm; margin: 0 auto; padding: 6mm 0; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 2px solid #0b5cad; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; break-after: avoid; }
.en { color: #57606a; font-weight: normal; }
.subtitle { font-size: 12pt; margin: 0 0 3mm; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; margin: 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.hash { font-family: monospace; font-size: 8pt; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; font-size: 9pt; }
th, td { border: 1px solid #d0d7de; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f3f6f9; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
th .en { display: block; font-size: 8pt; }
td:first-child { min-width: 7em; overflow-wrap: normal; }
tr.total td { font-weight: bold; border-top: 2px solid #57606a; }
tr { break-inside: avoid; }
figure { margin: 2mm 0 3mm; break-inside: avoid; }
figcaption { font-size: 9pt; color: #57606a; }
svg.chart { display: block; width: 100%; height: auto; font-size: 11px; }
svg .label, svg .value, svg .tick { fill: #1f2328; }
svg .threshold { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 4 2; fill: #cf222e; font-size: 10px; }
svg text.threshold, svg text.deadline, svg text.as-of { stroke: none; }
svg .deadline { stroke: #8250df; stroke-width: 1; stroke-dasharray: 3 2; fill: #8250df; font-size: 10px; }
svg .as-of { stroke: #0b5cad; stroke-width: 1.5; fill: #0b5cad; font-size: 10px; }
svg .axis { stroke: #8c959f; }
svg .ok, svg .done { fill: #2da44e; }
svg .late { fill: #d4a72c; }
svg .bad { fill: #cf222e; }
svg .pending, svg .open { fill: #8c959f; }
svg .tier-0 { fill: #2da44e; } svg .tier-1 { fill: #57ab5a; } svg .tier-2 { fill: #85c26e; }
svg .tier { fill: #85c26e; }
svg .late-rule { fill: #cf222e; }
svg .grade-commend { fill: #2da44e; } svg .grade-pass { fill: #0b5cad; } svg .grade-criticise { fill: #cf222e; }
svg .bar { fill-opacity: 0.9; }
svg .track { fill: #54aeff; }
svg text.on-bar { fill: #fff; font-weight: bold; }
span.standing { font-weight: bold; }
span.standing.bad { color: #cf222e; } span.standing.late { color: #9a6700; }
span.standing.ok { color: #1a7f37; } span.standing.track { color: #0969da; }
tr.more td { border-top-style: dotted; }
svg .bar[class*="grade-"] { stroke: none; }
ul { margin: 1mm 0 2mm; padding-left: 6mm; }
pre.text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 7pt; background: #f6f8fa; padding: 2mm; }
p.note { font-size: 9pt; color: #57606a; }
@media print { body { padding: 0; } section { break-before: auto; } }
)";

void figure(std::ostream& out, const std::string& svg, const std::string& caption) {
  out << "<figure>\n" << svg << "<figcaption>" << caption << "</figcaption>\n</figure>\n";
}

// ---- sections ---------------------------------------------------------------

void write_head(const CampaignReport& r, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << esc(r.campaign_title) << " — " << r.as_of.iso() << "</title>\n"
      << "<style>\n"
      << kStyle << "</style>\n</head>\n<body>\n";
}

void write_header(const CampaignReport& r, std::ostream& out) {
  out << "<header>\n<h1>" << esc(r.campaign_title) << "</h1>\n<p class=\"subtitle\">"
      << zh_en("参保扩面专项行动进展报告", "campaign progress report") << "</p>\n"
      << "<dl class=\"facts\">\n"
      << "<dt>" << zh_en("活动", "campaign") << "</dt><dd>" << esc(r.campaign_id) << " ("
      << r.campaign_year << "年度)</dd>\n"
      << "<dt>" << zh_en("截至", "as of") << "</dt><dd id=\"as-of\">" << r.as_of.iso()
      << " (只计入当日及以前的进度数据 <span class=\"en\">[only progress on or before this day "
         "counts]</span>)</dd>\n"
      << "<dt>" << zh_en("政策指纹", "policy") << "</dt><dd class=\"hash\">sha256 "
      << esc(r.policy_fingerprint) << "</dd>\n</dl>\n</header>\n";
}

std::string segment_label(const Policy& p, const std::string& id) {
  const int s = segment_index(p.campaign, id);
  if (s < 0) return id;
  return p.campaign.segments[static_cast<std::size_t>(s)].name + " [" + id + "]";
}

std::string days_left_text(std::int32_t days) {
  if (days > 0)
    return "还有 " + std::to_string(days) + " 天 [" + std::to_string(days) + " days left]";
  if (days == 0) return "今日截止 [due today]";
  return "已截止 " + std::to_string(-days) + " 天 [passed " + std::to_string(-days) + " days ago]";
}

void write_calendar(const CampaignReport& r, const Policy& p, std::ostream& out,
                    const std::string& title) {
  out << "<section id=\"calendar\">\n<h2>" << title << "</h2>\n";
  out << "<h3>" << zh_en("当前阶段", "active phases") << "</h3>\n";
  if (r.active_phases.empty()) out << "<p>无 <span class=\"en\">[none]</span></p>\n";
  if (!r.active_phases.empty()) out << "<ul>\n";
  for (const Phase& ph : r.active_phases) {
    std::string text = ph.name + " [" + ph.id + "] " + ph.start.date.iso();
    text += ph.open_end && !p.campaign.end ? " 起, 无截止 [open end]" : " 至 " + ph.end.date.iso();
    if (!ph.segment.empty()) text += " — 分类 [segment]: " + segment_label(p, ph.segment);
    out << "<li>" << esc(text) << "</li>\n";
  }
  if (!r.active_phases.empty()) out << "</ul>\n";
  out << "<h3>" << zh_en("下次报送截止", "next reporting deadline") << "</h3>\n<p>";
  if (r.next_reporting_deadline) {
    out << r.next_reporting_deadline->due.iso() << " (报送截至 "
        << r.next_reporting_deadline->covers_until.iso()
        << " 的进度 <span class=\"en\">[progress up to that day]</span>)";
  } else if (p.campaign.reporting) {
    out << "无 — 本年度报送已全部截止 <span class=\"en\">[none: every reporting deadline has "
           "passed]</span>";
  } else {
    out << "无 — 政策未规定定期报送 <span class=\"en\">[none: the policy sets no reporting "
           "cadence]</span>";
  }
  out << "</p>\n";
  if (!r.deadlines.empty()) {
    out << "<h3>" << zh_en("一次性报送", "one-off deadlines") << "</h3>\n";
    Table t({{"截止", "due"},
             {"名称", "name"},
             {"剩余", "days left"},
             {"内容", "contents"},
             {"报送单位", "submitted by"}});
    for (const DeadlineReport& dr : r.deadlines) {
      const Deadline& d = dr.deadline;
      std::string contents, by;
      for (std::size_t i = 0; i < d.contents.size(); ++i)
        contents += (i ? "; " : "") + d.contents[i];
      for (std::size_t i = 0; i < d.submitted_by.size(); ++i)
        by += (i ? ", " : "") + d.submitted_by[i];
      if (!d.submit_to.empty()) by += (by.empty() ? "" : " → ") + d.submit_to;
      t.row(cells({d.due.date.iso(), d.name + " [" + d.id + "]", days_left_text(dr.days_left),
                   contents, by}));
    }
    t.print(out, "deadlines");
  }
  if (p.campaign.reporting) {
    out << "<h3>" << zh_en("迟报", "late reports") << "</h3>\n";
    if (r.late_reports.empty()) out << "<p>无 <span class=\"en\">[none]</span></p>\n";
    if (!r.late_reports.empty()) {
      Table t({{"截止", "due"}, {"单位", "unit"}, {"情况", "status"}});
      for (const ReportingCheck& c : r.late_reports) {
        const std::string days = std::to_string(c.days_late);
        const std::string status =
            c.status == SubmissionStatus::late
                ? c.submitted->iso() + " 报送, 迟 " + days + " 天 [" + days + " days late]"
                : "未报送, 已逾期 " + days + " 天 [missing, " + days + " days overdue]";
        t.row(cells({c.deadline.due.iso() + " (截至 " + c.deadline.covers_until.iso() + ")",
                     unit_label(p, c.unit), status}),
              p.units.units[static_cast<std::size_t>(c.unit)].id);
      }
      t.print(out, "late-reports");
    }
    if (r.reports_unknown > 0) {
      out << "<p class=\"note\">另有 " << r.reports_unknown
          << " 份报送未注明报送日期 <span class=\"en\">[more without a submitted date: on time "
             "or late is unknown]</span></p>\n";
    }
  }
  for (const SegmentReport& sr : r.segments) {
    out << "<h3>" << zh_en("分类进展", "progress of segment") << ": "
        << esc(segment_label(p, sr.segment_id)) << "</h3>\n";
    std::vector<Table::Column> columns{{"单位", "unit"}};
    for (int m : sr.metrics) columns.push_back({metric_of(p, m).name, metric_of(p, m).id, true});
    Table t(columns);
    for (std::size_t u = 0; u < sr.units.size(); ++u) {
      std::vector<std::string> row{unit_label(p, sr.units[u])};
      for (std::size_t m = 0; m < sr.metrics.size(); ++m)
        row.push_back(value_text(p, sr.metrics[m], sr.values[u][m]));
      t.row(cells(row), sr.unit_ids[u]);
    }
    t.print(out, "segment");
  }
  out << "</section>\n";
}

void write_completions(const CampaignReport& r, const Policy& p, std::ostream& out,
                       const std::string& title) {
  out << "<section id=\"completions\">\n<h2>" << title << "</h2>\n";
  if (!p.completion) {
    out << "<p>政策未定义完成标准 <span class=\"en\">[the policy does not define "
           "completion]</span></p>\n</section>\n";
    return;
  }
  std::string tasks;
  for (std::size_t i = 0; i < p.completion->tasks.size(); ++i)
    tasks += (i ? " 且 [and] " : "") + condition_text(p, p.completion->tasks[i]);
  out << "<p>" << zh_en("完成标准", "complete when") << ": " << esc(tasks) << "</p>\n";
  figure(
      out, detail::completion_timeline(r, p),
      zh_en("完成日期与经费档次截止日", "completion dates against the work-fund tier deadlines"));
  Table t({{"单位", "unit"}, {"层级", "level"}, {"完成日期", "completed on"}});
  for (const UnitCompletion& c : r.completions) {
    const Unit& u = p.units.units[static_cast<std::size_t>(c.unit)];
    t.row(cells({unit_label(p, c.unit), u.level,
                 !c.evaluated ? "不考核 (无目标) [no target]"
                              : date_or(c.completed_on, "未完成 [not complete]")}),
          c.unit_id);
  }
  t.print(out, "completions");
  out << "</section>\n";
}

void write_milestones(const CampaignReport& r, const Policy& p, std::ostream& out,
                      const std::string& title) {
  out << "<section id=\"milestones\">\n<h2>" << title << "</h2>\n";
  if (r.milestones.empty()) {
    out << "<p>政策未设节点目标 <span class=\"en\">[the policy sets no milestones]</span></p>\n"
        << "</section>\n";
    return;
  }
  int n = 0;
  for (const MilestoneReport& mr : r.milestones) {
    const Milestone& m = p.milestones[static_cast<std::size_t>(mr.result.milestone)];
    out << "<div class=\"milestone\" data-milestone=\"" << esc(m.id) << "\">\n<h3>(" << ++n << ") "
        << esc(m.name) << " <span class=\"en\">[" << esc(m.id) << "]</span></h3>\n"
        << "<p>" << zh_en("条件", "condition") << ": " << esc(condition_text(p, m.condition))
        << ", " << zh_en("截止", "due") << " " << mr.result.due.iso();
    if (!mr.segment.empty()) {
      out << "; " << zh_en("分类", "segment") << ": " << esc(segment_label(p, mr.segment))
          << " (只计该分类的进度数据 <span class=\"en\">[only that segment's progress "
             "rows]</span>)";
    }
    out << "</p>\n";
    figure(out, detail::milestone_chart(mr, p),
           zh_en("截止日数值与达标线", "value on the due date against the threshold"));
    Table t({{"单位", "unit"},
             {"状态", "status"},
             {"达标日期", "met on"},
             {"首次达标", "first reached"},
             {"截止日数值", "value on due date", true}});
    for (std::size_t i = 0; i < mr.result.units.size(); ++i) {
      const MilestoneUnitResult& u = mr.result.units[i];
      t.row(cells({unit_label(p, u.unit), milestone_status_zh(u.status), date_or(u.met_on, "—"),
                   date_or(u.reached_on, "—"),
                   value_text(p, m.condition.metric_index(), mr.value_on_due[i])}),
            u.unit_id);
    }
    t.print(out, "milestone");
    out << "</div>\n";
  }
  out << "<p class=\"note\">状态说明 [status]: 按时完成 = 截止日当天达标 [met on time]; 逾期完成 = "
         "截止日未达标, 其后达标 [met late]; 得而复失 = 截止日前曾达标, 截止日及其后未达标 [lost]; "
         "未完成 = 已过截止日从未达标 [missed]; 已达标(未到期) = 目前达标, 截止日未到 [reached, "
         "not yet due]; 未到期 = 目前未达标, 截止日未到 [not yet due]. 截止日数值取截止日(晚于截至"
         "日期时取截至日期)的数值, 比率截断保留两位小数 [rates truncated to 2 decimals].</p>\n"
      << "</section>\n";
}

void write_work_fund(const CampaignReport& r, const Policy& p, std::ostream& out,
                     const std::string& title) {
  const WorkFund& wf = *p.work_fund;
  const WorkFundResult& res = *r.work_fund;
  out << "<section id=\"work-fund\">\n<h2>" << title << "</h2>\n";
  const std::string basis_name = metric_of(p, wf.basis_metric_index()).name;
  out << "<p>" << zh_en("拨付单位", "payer") << ": " << esc(res.payer.empty() ? "—" : res.payer)
      << "; " << zh_en("计算基数", "basis") << ": " << esc(basis_name) << ", 取"
      << esc(wf.basis_as_of == WorkFund::BasisAsOf::completion_date
                 ? std::string("完成当日数值 [on the completion date]")
                 : (wf.basis_date ? wf.basis_date->date.iso() : std::string("?")) +
                       " 数值 [on that day]")
      << "; 未完成的取截至日期数值 <span class=\"en\">[on the as-of day when not "
         "complete]</span></p>\n";
  figure(out, detail::work_fund_chart(res, wf), zh_en("按档次拨付", "paid per tier"));
  Table t({{"单位", "unit"},
           {"完成日期", "completed on"},
           {"档次", "tier"},
           {"标准(元/人)", "yuan/person", true},
           {"基数(人)", "basis", true},
           {"基数日期", "basis on"},
           {"金额(元)", "amount (yuan)", true}});
  for (const WorkFundPayout& pay : res.payouts) {
    std::vector<std::string> row = cells(
        {unit_label(p, pay.unit), date_or(pay.completed_on, "未完成"), payout_tier_text(wf, pay),
         pay.per_person.yuan_string(), std::to_string(pay.basis), pay.basis_on.iso()});
    row.push_back(fen_cell(pay.amount));
    t.row(row, pay.unit_id, "payout");
  }
  t.row({zh_en("合计", "total"), "", "", "", "", "", fen_cell(res.total, "work-fund-total")}, "",
        "total");
  t.print(out, "work-fund");
  std::string tiers;
  for (std::size_t i = 0; i < wf.tiers.size(); ++i)
    tiers += (i ? "; " : "") + tier_text(wf.tiers[i], i);
  out << "<p>" << zh_en("档次", "tiers") << ": " << esc(tiers) << "<br>"
      << zh_en("逾期规则", "late rule") << ": " << esc(late_text(wf.late))
      << " — 最后截止日后完成或始终未完成 <span class=\"en\">[completed after the last deadline, "
         "or never]</span>";
  if (!wf.late.note.empty()) out << "<br>" << zh_en("说明", "note") << ": " << esc(wf.late.note);
  out << "</p>\n</section>\n";
}

void write_ranking(const CampaignReport& r, const Policy& p, std::ostream& out,
                   const std::string& title) {
  const Scoring& s = *p.scoring;
  // Before the campaign's last deadline grades and ranks may still change.
  const bool provisional = r.action.summary.provisional;
  out << "<section id=\"ranking\">\n<h2>" << title;
  if (provisional) out << " — " << zh_en("暂定", "provisional");
  out << "</h2>\n";
  figure(out, detail::ranking_chart(*r.ranking, s, p, provisional),
         zh_en("总分与等次线", "scores against the grade lines"));
  std::vector<Table::Column> cols;
  for (const ReportColumn& c : ranking_columns(s)) cols.push_back({c.zh, c.en, c.number});
  Table t(std::move(cols));
  std::vector<std::string> notes;
  for (const UnitScore& u : r.ranking->units) {
    t.row(cells(ranking_cells(p, s, u, provisional)), u.unit_id);
    for (std::string& line : missed_target_lines(p, u)) notes.push_back(std::move(line));
  }
  t.print(out, "ranking");
  if (!notes.empty()) {
    out << "<p>" << zh_en("未完成目标", "targets missed")
        << (s.awards_require_targets_met
                ? ", 不得评先评优 <span class=\"en\">[not eligible for awards]</span>"
                : "")
        << ":</p>\n<ul>\n";
    for (const std::string& n : notes) out << "<li>" << esc(n) << "</li>\n";
    out << "</ul>\n";
  }
  std::string rules = "得分 [score] = Σ 权重 × min(完成率, 上限) + 时效加分";
  if (!s.deductions.empty()) rules += " − 扣分";
  rules += ". 等次 [grades]: ";
  for (std::size_t i = 0; i < s.grades.size(); ++i) {
    rules += (i ? "; " : "") + s.grades[i].name + " [" + s.grades[i].grade + "] ≥" +
             s.grades[i].min_score.decimal_string() + "分";
  }
  if (!s.timeliness.empty()) {
    rules += ". 时效加分 [bonus]: ";
    for (std::size_t i = 0; i < s.timeliness.size(); ++i) {
      rules += (i ? "; " : "") + std::string("≤") + s.timeliness[i].by.date.iso() + " 完成 +" +
               s.timeliness[i].points.decimal_string();
    }
  }
  rules += ". 名次相同按 [ties broken by]: ";
  for (std::size_t i = 0; i < s.tie_breakers.size(); ++i)
    rules += (i ? ", " : "") + std::string(tie_breaker_name(s.tie_breakers[i]));
  if (s.tie_breakers.empty()) rules += "—";
  out << "<p class=\"note\">" << esc(rules) << "; 仍相同则并列 [still equal: same rank]</p>\n"
      << "</section>\n";
}

// The projections as the text report words them (estimates, not rules).
void write_projections(const CampaignReport& r, const Policy& p, std::ostream& out,
                       const std::string& title) {
  std::ostringstream text;
  detail::write_projections_section(*r.projections, p, text, "");
  std::string body = text.str();
  body.erase(0, body.find_first_not_of('\n'));
  out << "<section id=\"projections\">\n<h2>" << title << "</h2>\n<pre class=\"text\">" << esc(body)
      << "</pre>\n</section>\n";
}

}  // namespace

void write_report_html(const CampaignReport& r, const Policy& p, std::ostream& out) {
  write_head(r, out);
  write_header(r, out);
  detail::write_summary_html(r, out);
  // Numbered as printed, like the text report: no gap for a missing section.
  const char* numerals[] = {"一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、"};
  int n = 0;
  const auto numbered = [&](const char* zh, const char* en) {
    return std::string(numerals[n++]) + zh_en(zh, en);
  };
  write_calendar(r, p, out, numbered("阶段与报送", "phases and reporting"));
  write_completions(r, p, out, numbered("任务完成情况", "task completion"));
  write_milestones(r, p, out, numbered("节点目标", "milestones"));
  if (r.work_fund && p.work_fund) write_work_fund(r, p, out, numbered("工作经费", "work fund"));
  if (r.ranking && p.scoring)
    write_ranking(r, p, out, numbered("考核得分与排名", "scores and ranking"));
  if (r.projections) write_projections(r, p, out, numbered("预测", "projections"));
  if (!r.action.units.empty())
    detail::write_action_html(r, p, out, numbered("行动清单", "action list"));
  out << "<footer><p class=\"note\">canbao — "
      << zh_en("由政策与进度数据生成", "made from the policy and the progress data")
      << "</p></footer>\n</body>\n</html>\n";
}

}  // namespace canbao
