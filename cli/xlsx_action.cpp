// The report's action part as sheets (report_action.hpp): 摘要 summary first,
// then 行动清单 (each unit's targets, worst first) and 待得经费 (money still at
// stake per remaining tier). The same figures as the text's 摘要 and 七、行动清单.
#include <string>

#include <canbao/policy.hpp>
#include <canbao/report_action.hpp>

#include "xlsx_report.hpp"

namespace canbao::cli {
namespace {

std::string date_cell(const std::optional<Date>& d) { return d ? d->iso() : std::string(); }

std::string unit_name(const Policy& p, int unit) {
  return unit >= 0 && unit < static_cast<int>(p.units.units.size()) ? p.units.units[unit].name
                                                                    : std::string();
}

Table titled(const CampaignReport& r, const std::string& sheet, const std::string& section) {
  Table t;
  t.sheet = sheet;
  t.title = r.campaign_title + " — " + section;
  t.notes = {"截至 as of " + r.as_of.iso(), "政策指纹 policy fingerprint " + r.policy_fingerprint};
  return t;
}

}  // namespace

std::string provisional_note(const CampaignReport& r) {
  const ReportSummary& s = r.action.summary;
  if (!s.provisional) return {};
  return "暂定 provisional: grades and ranks may change until the campaign's last deadline " +
         date_cell(s.last_deadline);
}

void add_summary_sheet(const CampaignReport& r, XlsxBook& book) {
  const ReportSummary& s = r.action.summary;
  Table t = titled(r, "摘要 summary", "摘要 summary");
  if (s.provisional) t.notes.push_back(provisional_note(r));
  t.columns = {{"单位 units", CellKind::integer},
               {"完成 complete", CellKind::integer},
               {"正常 on track", CellKind::integer},
               {"有风险 at risk", CellKind::integer},
               {"滞后 late", CellKind::integer},
               {"无趋势 no trend", CellKind::integer},
               {"已得经费 paid (元)", CellKind::yuan},
               {"尚可得 still possible (元)", CellKind::yuan},
               {"暂定 provisional"},
               {"最后期限 last deadline", CellKind::date},
               {"下一节点 next milestone", CellKind::date},
               {"距下一节点天数 days to it", CellKind::integer},
               {"距下次报送天数 days to next report", CellKind::integer}};
  t.rows.push_back(
      {std::to_string(s.units), std::to_string(s.complete), std::to_string(s.on_track),
       std::to_string(s.at_risk), std::to_string(s.late), std::to_string(s.no_trend),
       s.paid ? s.paid->yuan_string() : "", s.still_possible ? s.still_possible->yuan_string() : "",
       s.provisional ? "是 yes" : "否 no", date_cell(s.last_deadline), date_cell(s.next_milestone),
       s.days_to_next_milestone ? std::to_string(*s.days_to_next_milestone) : "",
       s.days_to_next_reporting ? std::to_string(*s.days_to_next_reporting) : ""});
  book.add(t);
}

void add_action_sheets(const CampaignReport& r, const Policy& p, XlsxBook& book) {
  if (r.action.units.empty()) return;
  Table t = titled(r, "行动清单 actions", "行动清单 action list (worst first)");
  t.columns = {{"unit_id"},
               {"name"},
               {"standing"},
               {"metric"},
               {"metric_name"},
               {"target", CellKind::number},
               {"current", CellKind::number},
               {"shortfall", CellKind::number},
               {"status"},
               {"deadline", CellKind::date},
               {"deadline_kind"},
               {"deadline_ref"},
               {"days_left", CellKind::integer},
               {"needed_per_day", CellKind::number},
               {"reasons"}};
  Table m = titled(r, "待得经费 at stake", "待得经费 work fund still at stake");
  m.columns = {{"unit_id"},
               {"name"},
               {"standing"},
               {"rule"},
               {"tier", CellKind::integer},
               {"deadline", CellKind::date},
               {"per_person_yuan", CellKind::yuan},
               {"basis", CellKind::integer},
               {"basis_on", CellKind::date},
               {"amount_yuan", CellKind::yuan}};
  for (const UnitAction& u : r.action.units) {
    std::string reasons;
    for (const auto& why : u.reasons) reasons += (reasons.empty() ? "" : "; ") + why;
    const std::string name = unit_name(p, u.unit), standing = unit_standing_name(u.standing);
    for (const TargetGap& g : u.gaps) {
      const std::string metric_name = g.metric >= 0 && g.metric < static_cast<int>(p.metrics.size())
                                          ? p.metrics[static_cast<std::size_t>(g.metric)].name
                                          : std::string();
      t.rows.push_back({u.unit_id, name, standing, g.metric_id, metric_name,
                        g.target.decimal_string(6), g.current ? g.current->decimal_string(6) : "",
                        g.shortfall.decimal_string(6), gap_status_name(g.status),
                        date_cell(g.deadline), gap_deadline_kind_name(g.deadline_kind),
                        g.deadline_ref, g.deadline ? std::to_string(g.days_left) : "",
                        g.needed_per_day ? g.needed_per_day->decimal_string(6) : "", reasons});
    }
    for (const FundAtStake& f : u.at_stake) {
      m.rows.push_back({u.unit_id, name, standing, f.tier >= 0 ? "tier" : "late",
                        f.tier >= 0 ? std::to_string(f.tier + 1) : "", date_cell(f.deadline),
                        f.per_person.yuan_string(), std::to_string(f.basis), f.basis_on.iso(),
                        f.amount.yuan_string()});
    }
  }
  book.add(t);
  if (!m.rows.empty()) book.add(m);
}

}  // namespace canbao::cli
