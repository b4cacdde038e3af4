// The JSON form of projections (docs/projections.md): what call_json answers
// for "projections" and the report's "projections" key. Estimates are decimal
// strings rounded to 6 places and trimmed like Ratio::decimal_string (long
// double differs across platforms past that). Formatting only.
#include <cstdio>
#include <ostream>

#include <canbao/report.hpp>

#include "detail/result_json.hpp"

namespace canbao {
namespace detail {
namespace {

using nlohmann::json;

json estimate(const std::optional<long double>& v) {
  if (!v) return nullptr;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6Lf", *v);
  // Trimmed like Ratio::decimal_string: "0.65", "0.706667", "12".
  std::string s = buf;
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

json date_or_null(const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); }

json work_fund_json(const WorkFundProjection& wf, JsonHoles* holes) {
  json units = JsonHoles::array(holes, wf.units.size(), [&wf](std::size_t i) -> json {
    const WorkFundUnitProjection& u = wf.units[i];
    const bool known = u.kind != FundProjectionKind::unknown;
    return {{"unit_id", u.unit_id},
            {"kind", fund_projection_kind_name(u.kind)},
            {"completed_on", date_or_null(u.completed_on)},
            {"status", known ? json(work_fund_status_name(u.status)) : json(nullptr)},
            // 1-based like payouts[].tier (第1档 = 1).
            {"tier", u.tier < 0 ? json(nullptr) : json(u.tier + 1)},
            {"deadline", date_or_null(u.deadline)},
            {"per_person_fen", known ? json(u.per_person.count()) : json(nullptr)},
            {"basis", known ? json(u.basis) : json(nullptr)},
            {"basis_on", known ? json(u.basis_on.iso()) : json(nullptr)},
            {"amount_fen", known ? json(u.amount.count()) : json(nullptr)},
            {"reason", known ? json(nullptr) : json(u.reason)}};
  });
  return json{{"payer", wf.payer},
              {"actual_total_fen", wf.actual_total.count()},
              {"projected_total_fen", wf.projected_total.count()},
              {"total_fen", wf.total.count()},
              {"unknown", wf.unknown},
              {"units", std::move(units)}};
}

}  // namespace

json to_json_value(const ProjectionReport& r, JsonHoles* holes) {
  json milestones = json::array();
  for (const MilestoneProjection& m : r.milestones) {
    json units = JsonHoles::array(holes, m.units.size(), [&m](std::size_t i) -> json {
      const MilestoneUnitProjection& u = m.units[i];
      return {{"unit_id", u.unit_id},
              {"outlook", outlook_name(u.outlook)},
              {"current", u.current ? json(u.current->decimal_string()) : json(nullptr)},
              {"projected", estimate(u.projected)},
              {"threshold", u.threshold.decimal_string()},
              {"days_left", u.days_left},
              {"needed_per_day", estimate(u.needed_per_day)},
              {"trend_per_day", estimate(u.trend_per_day)},
              {"points", u.points}};
    });
    json mj{{"id", m.milestone_id}, {"due", m.due.iso()}, {"units", std::move(units)}};
    if (!m.segment.empty()) mj["segment"] = m.segment;
    milestones.push_back(std::move(mj));
  }
  return json{{"as_of", r.as_of.iso()},
              {"method", r.method},
              {"observations", r.observations},
              {"at_risk_margin", r.at_risk_margin.decimal_string()},
              {"milestones", std::move(milestones)},
              {"work_fund", r.work_fund ? work_fund_json(*r.work_fund, holes) : json(nullptr)}};
}

}  // namespace detail

void write_projections_json(const ProjectionReport& projections, std::ostream& out, int indent) {
  detail::write_json_value(detail::to_json_value(projections), out, indent);
}

}  // namespace canbao
