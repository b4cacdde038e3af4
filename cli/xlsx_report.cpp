#include "xlsx_report.hpp"

#include <sstream>

#include <canbao/metric_values.hpp>
#include <canbao/policy.hpp>

namespace canbao::cli {
namespace {

// The title row of every sheet: the campaign, the day and the section.
Table titled(const CampaignReport& r, const std::string& sheet, const std::string& section) {
  Table t;
  t.sheet = sheet;
  t.title = r.campaign_title + " — " + section;
  t.notes = {"截至 as of " + r.as_of.iso(), "政策指纹 policy fingerprint " + r.policy_fingerprint};
  return t;
}

std::string date_cell(const std::optional<Date>& d) { return d ? d->iso() : std::string(); }

std::string unit_name(const Policy& p, int unit) {
  return unit >= 0 && unit < static_cast<int>(p.units.units.size()) ? p.units.units[unit].name
                                                                    : std::string();
}

std::string decimal(long double v) {
  std::ostringstream s;
  s.precision(6);
  s << std::fixed << static_cast<double>(v);
  return s.str();
}

void add_phases(const CampaignReport& r, const Policy& p, XlsxBook& book) {
  Table t = titled(r, "阶段 phases", "阶段 phases");
  t.columns = {{"id"},     {"name"},  {"start", CellKind::date}, {"end", CellKind::date},
               {"active"}, {"source"}};
  for (const Phase& ph : p.campaign.phases) {
    bool active = false;
    for (const Phase& a : r.active_phases) active = active || a.id == ph.id;
    t.rows.push_back({ph.id, ph.name, ph.open_start ? "" : ph.start.date.iso(),
                      ph.open_end ? "" : ph.end.date.iso(), active ? "是 yes" : "", ph.source});
  }
  book.add(t);
}

void add_deadlines(const CampaignReport& r, XlsxBook& book) {
  Table t = titled(r, "期限 deadlines", "期限 deadlines");
  t.columns = {{"kind"},
               {"id"},
               {"name"},
               {"due", CellKind::date},
               {"days_left", CellKind::integer},
               {"covers_until", CellKind::date},
               {"contents"}};
  if (r.next_reporting_deadline) {
    const ReportingDeadline& d = *r.next_reporting_deadline;
    t.rows.push_back({"reporting", "", "下次报送 next report", d.due.iso(),
                      std::to_string((d.due - r.as_of).count), d.covers_until.iso(), ""});
  }
  for (const DeadlineReport& d : r.deadlines) {
    std::string contents;
    for (const auto& c : d.deadline.contents) contents += (contents.empty() ? "" : "; ") + c;
    t.rows.push_back({"deadline", d.deadline.id, d.deadline.name, d.deadline.due.date.iso(),
                      std::to_string(d.days_left), "", contents});
  }
  book.add(t);
}

void add_completions(const CampaignReport& r, const Policy& p, XlsxBook& book) {
  Table t = titled(r, "完成 completion", "完成 completion");
  t.columns = {{"unit_id"}, {"name"}, {"completed_on", CellKind::date}, {"evaluated"}};
  for (const UnitCompletion& c : r.completions)
    t.rows.push_back({c.unit_id, unit_name(p, c.unit), date_cell(c.completed_on),
                      c.evaluated ? "true" : "false"});
  book.add(t);
}

void add_milestones(const CampaignReport& r, const Policy& p, XlsxBook& book) {
  Table t = titled(r, "节点 milestones", "节点 milestones");
  t.columns = {{"milestone_id"},
               {"milestone"},
               {"due", CellKind::date},
               {"unit_id"},
               {"name"},
               {"status"},
               {"met_on", CellKind::date},
               {"reached_on", CellKind::date},
               {"value", CellKind::number},
               {"segment"}};
  for (const MilestoneReport& m : r.milestones) {
    const std::string& name = p.milestones[static_cast<std::size_t>(m.result.milestone)].name;
    for (std::size_t i = 0; i < m.result.units.size(); ++i) {
      const MilestoneUnitResult& u = m.result.units[i];
      const auto& v = i < m.value_on_due.size() ? m.value_on_due[i] : std::nullopt;
      t.rows.push_back({m.result.milestone_id, name, m.result.due.iso(), u.unit_id,
                        unit_name(p, u.unit), milestone_status_name(u.status), date_cell(u.met_on),
                        date_cell(u.reached_on), v ? v->decimal_string(6) : "", m.segment});
    }
  }
  book.add(t);
}

void add_values(const CampaignReport& r, const CampaignInput& in, const Progress& progress,
                XlsxBook& book) {
  std::ostringstream csv;
  write_metric_values_csv(metric_values(progress, r.as_of, {}), *in.policy, csv);
  Table t = table_from_csv("指标 values", r.campaign_title + " — 指标 values", csv.str());
  t.notes = titled(r, "", "").notes;
  book.add(t);
}

void add_projections(const CampaignReport& r, const Policy& p, XlsxBook& book) {
  if (!r.projections) return;
  const ProjectionReport& pr = *r.projections;
  Table t = titled(r, "预测 projections", "预测 projections (" + pr.method + ")");
  t.columns = {{"milestone_id"},
               {"due", CellKind::date},
               {"unit_id"},
               {"name"},
               {"outlook"},
               {"current", CellKind::number},
               {"projected", CellKind::number},
               {"threshold", CellKind::number},
               {"days_left", CellKind::integer},
               {"needed_per_day", CellKind::number},
               {"trend_per_day", CellKind::number},
               {"points_used", CellKind::integer}};
  for (const MilestoneProjection& m : pr.milestones) {
    for (const MilestoneUnitProjection& u : m.units) {
      t.rows.push_back(
          {m.milestone_id, m.due.iso(), u.unit_id, unit_name(p, u.unit), outlook_name(u.outlook),
           u.current ? u.current->decimal_string(6) : "", u.projected ? decimal(*u.projected) : "",
           u.threshold.decimal_string(6), std::to_string(u.days_left),
           u.needed_per_day ? decimal(*u.needed_per_day) : "",
           u.trend_per_day ? decimal(*u.trend_per_day) : "", std::to_string(u.points)});
    }
  }
  book.add(t);
  if (!pr.work_fund) return;
  Table f = titled(r, "预测经费 projected fund", "预测经费 projected work fund");
  f.columns = {{"unit_id"},
               {"name"},
               {"kind"},
               {"completed_on", CellKind::date},
               {"status"},
               {"tier", CellKind::integer},
               {"deadline", CellKind::date},
               {"per_person_yuan", CellKind::yuan},
               {"basis", CellKind::integer},
               {"basis_on", CellKind::date},
               {"amount_yuan", CellKind::yuan},
               {"reason"}};
  for (const WorkFundUnitProjection& u : pr.work_fund->units) {
    const bool tier = u.status == WorkFundStatus::tier && u.kind != FundProjectionKind::unknown;
    f.rows.push_back({u.unit_id, unit_name(p, u.unit), fund_projection_kind_name(u.kind),
                      date_cell(u.completed_on),
                      u.kind == FundProjectionKind::unknown ? "" : work_fund_status_name(u.status),
                      tier ? std::to_string(u.tier + 1) : "", date_cell(u.deadline),
                      u.kind == FundProjectionKind::unknown ? "" : u.per_person.yuan_string(),
                      u.kind == FundProjectionKind::unknown ? "" : std::to_string(u.basis),
                      u.kind == FundProjectionKind::unknown ? "" : u.basis_on.iso(),
                      u.kind == FundProjectionKind::unknown ? "" : u.amount.yuan_string(),
                      u.reason});
  }
  f.rows.push_back(
      {"", "合计 total", "", "", "", "", "", "", "", "", pr.work_fund->total.yuan_string(), ""});
  book.add(f);
}

void add_late_reports(const CampaignReport& r, const Policy& p, XlsxBook& book) {
  if (r.late_reports.empty()) return;
  Table t = titled(r, "迟报 late reports", "迟报 late reports");
  t.columns = {{"due", CellKind::date},
               {"unit_id"},
               {"name"},
               {"status"},
               {"submitted", CellKind::date},
               {"days_late", CellKind::integer}};
  for (const ReportingCheck& c : r.late_reports)
    t.rows.push_back({c.deadline.due.iso(), c.unit_id, unit_name(p, c.unit),
                      submission_status_name(c.status), date_cell(c.submitted),
                      std::to_string(c.days_late)});
  book.add(t);
}

}  // namespace

void add_work_fund_sheet(const CampaignReport& r, const CampaignInput& in, XlsxBook& book) {
  if (!r.work_fund) return;
  std::ostringstream csv;
  write_payouts_csv(*r.work_fund, *in.policy, csv);
  Table t =
      table_from_csv("工作经费 work fund", r.campaign_title + " — 工作经费 work fund", csv.str());
  t.notes = titled(r, "", "").notes;
  book.add(t);
}

void add_ranking_sheet(const CampaignReport& r, const CampaignInput& in, XlsxBook& book) {
  if (!r.ranking) return;
  std::ostringstream csv;
  write_scores_csv(*r.ranking, *in.policy, csv);
  const std::string note = provisional_note(r);
  Table t = table_from_csv("排名 ranking",
                           r.campaign_title + " — 排名 ranking" + (note.empty() ? "" : " (暂定)"),
                           csv.str());
  t.notes = titled(r, "", "").notes;
  if (!note.empty()) t.notes.push_back(note);
  book.add(t);
}

void add_report_sheets(const CampaignReport& r, const CampaignInput& in, const Progress& progress,
                       XlsxBook& book) {
  const Policy& p = *in.policy;
  add_summary_sheet(r, book);
  add_phases(r, p, book);
  add_deadlines(r, book);
  add_completions(r, p, book);
  add_milestones(r, p, book);
  add_action_sheets(r, p, book);
  add_values(r, in, progress, book);
  add_work_fund_sheet(r, in, book);
  add_ranking_sheet(r, in, book);
  add_projections(r, p, book);
  add_late_reports(r, p, book);
}

}  // namespace canbao::cli
