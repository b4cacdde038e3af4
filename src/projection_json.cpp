// The JSON form of projections (docs/projections.md): what call_json answers
// for "projections" and the report's "projections" key. Estimates are decimal
// strings rounded to 6 places and trimmed like Ratio::decimal_string (long
// double differs across platforms past that). Formatting only.
#include <cstdio>
#include <ostream>

#include <canbao/report.hpp>

#include "detail/json_text_writer.hpp"
#include "detail/result_json.hpp"

namespace canbao {
namespace detail {
namespace {

using nlohmann::json;

// An estimate as text, rounded and trimmed like Ratio::decimal_string:
// "0.65", "0.706667", "12"; null without one.
void append_estimate(std::string& out, const std::optional<long double>& v) {
  if (!v) {
    out += "null";
    return;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6Lf", *v);
  std::string s = buf;
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  append_json_string(out, s == "-0" ? "0" : s);
}

void append_known_int(std::string& out, bool known, std::int64_t v) {
  if (known) {
    append_json_int(out, v);
  } else {
    out += "null";
  }
}

// A unit's projection as text (json_text_writer.hpp): keys in nlohmann's sorted order.
void append_fund_unit(std::string& out, const WorkFundUnitProjection& u) {
  const bool known = u.kind != FundProjectionKind::unknown;
  out += "{\"amount_fen\":";
  append_known_int(out, known, u.amount.count());
  out += ",\"basis\":";
  append_known_int(out, known, u.basis);
  out += ",\"basis_on\":";
  if (known) {
    append_json_date(out, u.basis_on);
  } else {
    out += "null";
  }
  out += ",\"completed_on\":";
  append_json_date_or_null(out, u.completed_on);
  out += ",\"deadline\":";
  append_json_date_or_null(out, u.deadline);
  out += ",\"kind\":";
  append_json_string(out, fund_projection_kind_name(u.kind));
  out += ",\"per_person_fen\":";
  append_known_int(out, known, u.per_person.count());
  out += ",\"reason\":";
  if (known) {
    out += "null";
  } else {
    append_json_string(out, u.reason);
  }
  out += ",\"status\":";
  if (known) {
    append_json_string(out, work_fund_status_name(u.status));
  } else {
    out += "null";
  }
  out += ",\"tier\":";
  if (u.tier < 0) {
    out += "null";
  } else {
    append_json_int(out, u.tier + 1);  // 1-based like payouts[].tier (第1档 = 1)
  }
  out += ",\"unit_id\":";
  append_json_string(out, u.unit_id);
  out += '}';
}

void append_milestone_unit(std::string& out, const MilestoneUnitProjection& u) {
  out += "{\"current\":";
  append_json_ratio_or_null(out, u.current);
  out += ",\"days_left\":";
  append_json_int(out, u.days_left);
  out += ",\"needed_per_day\":";
  append_estimate(out, u.needed_per_day);
  out += ",\"outlook\":";
  append_json_string(out, outlook_name(u.outlook));
  out += ",\"points\":";
  append_json_int(out, u.points);
  out += ",\"projected\":";
  append_estimate(out, u.projected);
  out += ",\"threshold\":";
  append_json_ratio(out, u.threshold);
  out += ",\"trend_per_day\":";
  append_estimate(out, u.trend_per_day);
  out += ",\"unit_id\":";
  append_json_string(out, u.unit_id);
  out += '}';
}

json work_fund_json(const WorkFundProjection& wf, JsonHoles* holes) {
  json units = JsonHoles::array(holes, wf.units.size(), [&wf](std::size_t i, std::string& out) {
    append_fund_unit(out, wf.units[i]);
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
    json units = JsonHoles::array(holes, m.units.size(), [&m](std::size_t i, std::string& out) {
      append_milestone_unit(out, m.units[i]);
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
