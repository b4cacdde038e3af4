// The human campaign report. Formatting only: every figure comes from the
// CampaignReport, every name and rule parameter from the policy.
#include <canbao/report.hpp>

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <canbao/policy.hpp>

#include "detail/projection_text.hpp"
#include "detail/report_labels.hpp"
#include "detail/text_table.hpp"

namespace canbao {

namespace {

// ---- formatting helpers -----------------------------------------------------

// A table with a Chinese and an English header line and a rule under them;
// every line is padded to the same display width so columns line up in a
// terminal and in print. print() ends it with a blank line.
class Table {
 public:
  struct Column {
    std::string zh;
    std::string en;
    bool right = false;  // numbers are right-aligned
  };
  explicit Table(const std::vector<Column>& columns) : table_(right_aligned(columns)) {
    std::vector<std::string> zh, en;
    for (const Column& c : columns) {
      zh.push_back(c.zh);
      en.push_back(c.en);
    }
    table_.header(std::move(zh));
    table_.header(std::move(en));
    table_.rule();
  }
  void row(std::vector<std::string> cells) { table_.row(std::move(cells)); }
  // A row under a rule (totals).
  void total(std::vector<std::string> cells) {
    table_.rule();
    table_.row(std::move(cells));
  }
  void print(std::ostream& out) const {
    table_.print(out);
    out << "\n";
  }

 private:
  static std::vector<bool> right_aligned(const std::vector<Column>& columns) {
    std::vector<bool> right;
    for (const Column& c : columns) right.push_back(c.right);
    return right;
  }
  detail::TextTable table_;
};

using detail::condition_text;
using detail::date_or;
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

void heading(std::ostream& out, const std::string& text) { out << text << "\n\n"; }

// ---- sections ---------------------------------------------------------------

void write_header(const CampaignReport& r, std::ostream& out) {
  out << r.campaign_title << "\n"
      << "参保扩面专项行动进展报告 [campaign progress report]\n\n"
      << "  活动 [campaign]:       " << r.campaign_id << " (" << r.campaign_year << "年度)\n"
      << "  截至 [as of]:          " << r.as_of.iso()
      << " (只计入当日及以前的进度数据 [only progress on or before this day counts])\n"
      << "  政策指纹 [policy]:     sha256 " << r.policy_fingerprint << "\n\n";
}

std::string segment_label(const Policy& p, const std::string& id) {
  const int s = segment_index(p.campaign, id);
  if (s < 0) return id;
  return p.campaign.segments[static_cast<std::size_t>(s)].name + " [" + id + "]";
}

// One-off deadlines (calendar.hpp), with the days left as of the report's day.
void write_deadlines(const CampaignReport& r, std::ostream& out) {
  if (r.deadlines.empty()) return;
  out << "  一次性报送 [one-off deadlines]:\n";
  for (const DeadlineReport& dr : r.deadlines) {
    const Deadline& d = dr.deadline;
    out << "    " << d.due.date.iso() << " " << d.name << " [" << d.id << "] — ";
    if (dr.days_left > 0) {
      out << "还有 " << dr.days_left << " 天 [" << dr.days_left << " days left]";
    } else if (dr.days_left == 0) {
      out << "今日截止 [due today]";
    } else {
      out << "已截止 " << -dr.days_left << " 天 [passed " << -dr.days_left << " days ago]";
    }
    out << "\n      内容 [contents]: ";
    for (std::size_t i = 0; i < d.contents.size(); ++i) out << (i ? "; " : "") << d.contents[i];
    out << "\n";
    if (!d.submitted_by.empty()) {
      out << "      报送单位 [submitted by]: ";
      for (std::size_t i = 0; i < d.submitted_by.size(); ++i)
        out << (i ? ", " : "") << d.submitted_by[i];
      out << "\n";
    }
    if (!d.submit_to.empty()) out << "      报送至 [to]: " << d.submit_to << "\n";
  }
  out << "\n";
}

// 迟报: the periodic reports that came in late or not at all (late_reports.hpp).
void write_late_reports(const CampaignReport& r, const Policy& p, std::ostream& out) {
  out << "  迟报 [late reports]:";
  if (r.late_reports.empty()) out << " 无 [none]";
  out << "\n";
  for (const ReportingCheck& c : r.late_reports) {
    out << "    " << c.deadline.due.iso() << " (截至 " << c.deadline.covers_until.iso() << ") "
        << unit_label(p, c.unit) << " — ";
    if (c.status == SubmissionStatus::late) {
      out << c.submitted->iso() << " 报送, 迟 " << c.days_late << " 天 [" << c.days_late
          << (c.days_late == 1 ? " day" : " days") << " late]";
    } else {
      out << "未报送, 已逾期 " << c.days_late << " 天 [missing, " << c.days_late
          << (c.days_late == 1 ? " day" : " days") << " overdue]";
    }
    out << "\n";
  }
  if (r.reports_unknown > 0) {
    out << "    另有 " << r.reports_unknown << " 份报送未注明报送日期 [" << r.reports_unknown
        << " more without a submitted date: on time or late is unknown]\n";
  }
  out << "\n";
}

// Each segment's own figures (progress rows that carried it).
void write_segments(const CampaignReport& r, const Policy& p, std::ostream& out) {
  for (const SegmentReport& sr : r.segments) {
    out << "  分类进展 [progress of segment]: " << segment_label(p, sr.segment_id) << "\n\n";
    std::vector<Table::Column> columns{{"单位", "unit"}};
    for (int m : sr.metrics) columns.push_back({metric_of(p, m).name, metric_of(p, m).id, true});
    Table t(columns);
    for (std::size_t u = 0; u < sr.units.size(); ++u) {
      std::vector<std::string> row{unit_label(p, sr.units[u])};
      for (std::size_t m = 0; m < sr.metrics.size(); ++m)
        row.push_back(value_text(p, sr.metrics[m], sr.values[u][m]));
      t.row(row);
    }
    t.print(out);
  }
}

void write_calendar(const CampaignReport& r, const Policy& p, std::ostream& out,
                    const std::string& title) {
  heading(out, title);
  out << "  当前阶段 [active phases]:";
  if (r.active_phases.empty()) out << " 无 [none]";
  out << "\n";
  for (const Phase& ph : r.active_phases) {
    out << "    " << ph.name << " [" << ph.id << "] " << ph.start.date.iso();
    if (ph.open_end && !p.campaign.end) {
      out << " 起, 无截止 [open end]";
    } else {
      out << " 至 " << ph.end.date.iso();
    }
    if (ph.open_start) out << " (未写起始, 自活动首日 [open start: from the campaign's first day])";
    if (ph.open_end && p.campaign.end)
      out << " (未写截止, 至活动末日 [open end: to the campaign's end])";
    if (!ph.segment.empty()) out << " — 分类 [segment]: " << segment_label(p, ph.segment);
    out << "\n";
  }
  out << "  下次报送截止 [next reporting deadline]: ";
  if (r.next_reporting_deadline) {
    out << r.next_reporting_deadline->due.iso() << " (报送截至 "
        << r.next_reporting_deadline->covers_until.iso()
        << " 的进度 [progress up to that day])\n\n";
  } else if (p.campaign.reporting) {
    out << "无 — 本年度报送已全部截止 [none: every reporting deadline has passed]\n\n";
  } else {
    out << "无 — 政策未规定定期报送 [none: the policy sets no reporting cadence]\n\n";
  }
  write_deadlines(r, out);
  if (p.campaign.reporting) write_late_reports(r, p, out);
  write_segments(r, p, out);
}

void write_completions(const CampaignReport& r, const Policy& p, std::ostream& out,
                       const std::string& title) {
  heading(out, title);
  if (!p.completion) {
    out << "  政策未定义完成标准 [the policy does not define completion]\n\n";
    return;
  }
  out << "  完成标准 [complete when]: ";
  for (std::size_t i = 0; i < p.completion->tasks.size(); ++i) {
    out << (i ? " 且 [and] " : "") << condition_text(p, p.completion->tasks[i]);
  }
  out << "\n\n";
  Table t({{"单位", "unit"}, {"层级", "level"}, {"完成日期", "completed on"}});
  for (const UnitCompletion& c : r.completions) {
    const Unit& u = p.units.units[static_cast<std::size_t>(c.unit)];
    t.row({unit_label(p, c.unit), u.level,
           !c.evaluated ? "不考核 (无目标) [no target]"
                        : date_or(c.completed_on, "未完成 [not complete]")});
  }
  t.print(out);
}

void write_milestones(const CampaignReport& r, const Policy& p, std::ostream& out,
                      const std::string& title) {
  heading(out, title);
  if (r.milestones.empty()) {
    out << "  政策未设节点目标 [the policy sets no milestones]\n\n";
    return;
  }
  int n = 0;
  for (const MilestoneReport& mr : r.milestones) {
    const Milestone& m = p.milestones[static_cast<std::size_t>(mr.result.milestone)];
    out << "  (" << ++n << ") " << m.name << " [" << m.id << "]\n"
        << "      条件 [condition]: " << condition_text(p, m.condition) << ", 截止 [due] "
        << mr.result.due.iso() << "\n";
    if (!mr.segment.empty()) {
      out << "      分类 [segment]: " << segment_label(p, mr.segment)
          << " (只计该分类的进度数据 [only that segment's progress rows])\n";
    }
    out << "\n";
    Table t({{"单位", "unit"},
             {"状态", "status"},
             {"达标日期", "met on"},
             {"首次达标", "first reached"},
             {"截止日数值", "value on due date", true}});
    for (std::size_t i = 0; i < mr.result.units.size(); ++i) {
      const MilestoneUnitResult& u = mr.result.units[i];
      t.row({unit_label(p, u.unit), milestone_status_zh(u.status), date_or(u.met_on, "—"),
             date_or(u.reached_on, "—"),
             value_text(p, m.condition.metric_index(), mr.value_on_due[i])});
    }
    t.print(out);
  }
  out << "  状态说明 [status]: 按时完成 = 截止日当天达标 [met on time: holds on the due date]; "
         "逾期完成 = 截止日未达标, 其后达标 [met late];\n"
         "                     得而复失 = 截止日前曾达标, 截止日及其后未达标 [lost: reached "
         "earlier, not held on the due date];\n"
         "                     未完成 = 已过截止日从未达标 [missed]; 已达标(未到期) = 目前达标, "
         "截止日未到 [reached, not yet due];\n"
         "                     未到期 = 目前未达标, 截止日未到 [not yet due]\n"
         "  截止日数值取截止日(晚于截至日期时取截至日期)的数值, 比率截断保留两位小数\n"
         "  [value on due date: on the due date, or on the as-of day when earlier; rates truncated "
         "to 2 decimals]\n\n";
}

void work_fund_section(const CampaignReport& r, const Policy& p, std::ostream& out,
                       const std::string& title) {
  if (!r.work_fund || !p.work_fund) return;
  const WorkFund& wf = *p.work_fund;
  const WorkFundResult& res = *r.work_fund;
  heading(out, title);
  const std::string basis_name = metric_of(p, wf.basis_metric_index()).name;
  out << "  拨付单位 [payer]: " << (res.payer.empty() ? "—" : res.payer) << "\n"
      << "  计算基数 [basis]: " << basis_name << ", 取"
      << (wf.basis_as_of == WorkFund::BasisAsOf::completion_date
              ? std::string("完成当日数值 [on the completion date]")
              : (wf.basis_date ? wf.basis_date->date.iso() : std::string("?")) +
                    " 数值 [on that day]")
      << "; 未完成的取截至日期数值 [on the as-of day when not complete]\n\n";
  Table t({{"单位", "unit"},
           {"完成日期", "completed on"},
           {"档次", "tier"},
           {"标准(元/人)", "yuan/person", true},
           {"基数(人)", "basis", true},
           {"基数日期", "basis on"},
           {"金额(元)", "amount (yuan)", true}});
  for (const WorkFundPayout& pay : res.payouts) {
    t.row({unit_label(p, pay.unit), date_or(pay.completed_on, "未完成"), payout_tier_text(wf, pay),
           pay.per_person.yuan_string(), std::to_string(pay.basis), pay.basis_on.iso(),
           pay.amount.yuan_string()});
  }
  t.total({"合计 [total]", "", "", "", "", "", res.total.yuan_string()});
  t.print(out);
  out << "  档次 [tiers]: ";
  for (std::size_t i = 0; i < wf.tiers.size(); ++i)
    out << (i ? "; " : "") << tier_text(wf.tiers[i], i);
  out << "\n  逾期规则 [late rule]: " << late_text(wf.late)
      << " — 最后截止日后完成或始终未完成 [completed after the last deadline, or never]\n";
  if (!wf.late.note.empty()) out << "    说明 [note]: " << wf.late.note << "\n";
  out << "\n";
}

void ranking_section(const CampaignReport& r, const Policy& p, std::ostream& out,
                     const std::string& title) {
  if (!r.ranking || !p.scoring) return;
  const Scoring& s = *p.scoring;
  // Before the campaign's last deadline grades and ranks may still change.
  const bool provisional = r.action.summary.provisional;
  heading(out, provisional ? title + " — 暂定 [provisional]" : title);
  std::vector<Table::Column> cols;
  for (const ReportColumn& c : ranking_columns(s)) cols.push_back({c.zh, c.en, c.number});
  Table t(std::move(cols));
  std::vector<std::string> notes;
  for (const UnitScore& u : r.ranking->units) {
    t.row(ranking_cells(p, s, u, provisional));
    for (std::string& line : missed_target_lines(p, u)) notes.push_back(std::move(line));
  }
  t.print(out);
  if (!notes.empty()) {
    out << "  未完成目标 [targets missed]"
        << (s.awards_require_targets_met ? ", 不得评先评优 [not eligible for awards]" : "")
        << ":\n";
    for (const auto& n : notes) out << "    " << n << "\n";
  }
  out << "  得分 [score] = Σ 权重 × min(完成率, 上限) + 时效加分"
      << (s.deductions.empty() ? "" : " − 扣分") << " [weight x min(completion, cap) + bonus"
      << (s.deductions.empty() ? "" : " - deductions") << "]\n"
      << "  指标 [indicators]: ";
  for (std::size_t i = 0; i < s.indicators.size(); ++i) {
    const Indicator& ind = s.indicators[i];
    out << (i ? "; " : "") << ind.name << " = " << metric_of(p, ind.metric_index()).name
        << " / 目标, " << ind.weight.decimal_string() << "分, 上限 [cap] "
        << ind.cap.percent_string(4);
  }
  out << "\n";
  if (!s.timeliness.empty()) {
    out << "  时效加分 [bonus]: ";
    for (std::size_t i = 0; i < s.timeliness.size(); ++i) {
      out << (i ? "; " : "") << "≤" << s.timeliness[i].by.date.iso() << " 完成 +"
          << s.timeliness[i].points.decimal_string();
    }
    out << "\n";
  }
  out << "  等次 [grades]: ";
  for (std::size_t i = 0; i < s.grades.size(); ++i) {
    out << (i ? "; " : "") << s.grades[i].name << " [" << s.grades[i].grade << "] ≥"
        << s.grades[i].min_score.decimal_string() << "分";
  }
  out << "\n  名次相同按 [ties broken by]: ";
  for (std::size_t i = 0; i < s.tie_breakers.size(); ++i)
    out << (i ? ", " : "") << tie_breaker_name(s.tie_breakers[i]);
  if (s.tie_breakers.empty()) out << "—";
  out << "; 仍相同则并列 [still equal: same rank]\n\n";
}

}  // namespace

void write_report_header(const CampaignReport& r, std::ostream& out) { write_header(r, out); }

void write_work_fund_text(const CampaignReport& r, const Policy& p, std::ostream& out) {
  work_fund_section(r, p, out, "工作经费 [work fund]");
}

void write_ranking_text(const CampaignReport& r, const Policy& p, std::ostream& out) {
  ranking_section(r, p, out, "考核得分与排名 [scores and ranking]");
}

void write_report_text(const CampaignReport& r, const Policy& p, std::ostream& out) {
  write_header(r, out);
  write_summary_text(r, p, out);
  // Sections are numbered as printed: a policy without a work fund or scoring
  // leaves no gap in 一、二、三...
  const char* numerals[] = {"一、", "二、", "三、", "四、", "五、", "六、", "七、"};
  int n = 0;
  const auto numbered = [&](const char* title) { return std::string(numerals[n++]) + title; };
  write_calendar(r, p, out, numbered("阶段与报送 [phases and reporting]"));
  write_completions(r, p, out, numbered("任务完成情况 [task completion]"));
  write_milestones(r, p, out, numbered("节点目标 [milestones]"));
  if (r.work_fund && p.work_fund) work_fund_section(r, p, out, numbered("工作经费 [work fund]"));
  if (r.ranking && p.scoring)
    ranking_section(r, p, out, numbered("考核得分与排名 [scores and ranking]"));
  if (r.projections)
    detail::write_projections_section(*r.projections, p, out, numbered("预测 [projections]"));
  if (!r.action.units.empty()) {
    heading(out, numbered("行动清单 [action list]"));
    write_action_text(r, p, out);
  }
}

}  // namespace canbao
