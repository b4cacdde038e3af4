// The JSON form of the report's action part (report_action.hpp), under the
// report's "action" key (keys in docs/report.md). Money in integer fen, ratios
// as decimal strings (six places), tiers counted from 1 like payouts.
#include <nlohmann/json.hpp>

#include <canbao/report.hpp>

#include "detail/json_text_writer.hpp"
#include "detail/result_json.hpp"

namespace canbao::detail {

namespace {

using nlohmann::json;

json date_or_null(const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); }
json fen_or_null(const std::optional<Fen>& f) { return f ? json(f->count()) : json(nullptr); }
json int_or_null(const std::optional<std::int32_t>& i) { return i ? json(*i) : json(nullptr); }

// A unit's row as text (json_text_writer.hpp): keys in nlohmann's sorted order.
void append_gap(std::string& out, const TargetGap& g) {
  out += "{\"current\":";
  append_json_ratio_or_null(out, g.current);
  out += ",\"days_left\":";
  if (g.deadline) {
    append_json_int(out, g.days_left);
  } else {
    out += "null";
  }
  out += ",\"deadline\":";
  append_json_date_or_null(out, g.deadline);
  out += ",\"deadline_kind\":";
  append_json_string(out, gap_deadline_kind_name(g.deadline_kind));
  out += ",\"deadline_ref\":";
  append_json_string(out, g.deadline_ref);
  out += ",\"metric\":";
  append_json_string(out, g.metric_id);
  out += ",\"needed_per_day\":";
  append_json_ratio_or_null(out, g.needed_per_day);
  out += ",\"shortfall\":";
  append_json_ratio(out, g.shortfall);
  out += ",\"status\":";
  append_json_string(out, gap_status_name(g.status));
  out += ",\"target\":";
  append_json_ratio(out, g.target);
  out += '}';
}

void append_stake(std::string& out, const FundAtStake& f) {
  out += "{\"amount_fen\":";
  append_json_int(out, f.amount.count());
  out += ",\"basis\":";
  append_json_int(out, f.basis);
  out += ",\"basis_on\":";
  append_json_date(out, f.basis_on);
  out += ",\"deadline\":";
  append_json_date_or_null(out, f.deadline);
  out += ",\"per_person_fen\":";
  append_json_int(out, f.per_person.count());
  out += f.tier < 0 ? ",\"rule\":\"late\",\"tier\":null}" : ",\"rule\":\"tier\",\"tier\":";
  if (f.tier >= 0) {
    append_json_int(out, f.tier + 1);  // 1-based like payouts
    out += '}';
  }
}

void append_unit_action(std::string& out, const UnitAction& u) {
  out += "{\"at_stake\":[";
  for (std::size_t k = 0; k < u.at_stake.size(); ++k) {
    if (k > 0) out += ',';
    append_stake(out, u.at_stake[k]);
  }
  out += "],\"completion\":";
  append_json_ratio_or_null(out, u.completion);
  out += ",\"reasons\":[";
  for (std::size_t k = 0; k < u.reasons.size(); ++k) {
    if (k > 0) out += ',';
    append_json_string(out, u.reasons[k]);
  }
  out += "],\"standing\":";
  append_json_string(out, unit_standing_name(u.standing));
  out += ",\"targets\":[";
  for (std::size_t k = 0; k < u.gaps.size(); ++k) {
    if (k > 0) out += ',';
    append_gap(out, u.gaps[k]);
  }
  out += "],\"unit_id\":";
  append_json_string(out, u.unit_id);
  out += '}';
}

}  // namespace

json to_json_value(const ActionReport& a, JsonHoles* holes) {
  const ReportSummary& s = a.summary;
  json summary{{"units", s.units},
               {"complete", s.complete},
               {"on_track", s.on_track},
               {"at_risk", s.at_risk},
               {"late", s.late},
               {"no_trend", s.no_trend},
               {"paid_fen", fen_or_null(s.paid)},
               {"still_possible_fen", fen_or_null(s.still_possible)},
               {"provisional", s.provisional},
               {"last_deadline", date_or_null(s.last_deadline)},
               {"next_milestone", date_or_null(s.next_milestone)},
               {"days_to_next_milestone", int_or_null(s.days_to_next_milestone)},
               {"days_to_next_reporting", int_or_null(s.days_to_next_reporting)}};
  json units = JsonHoles::array(holes, a.units.size(), [&a](std::size_t i, std::string& out) {
    append_unit_action(out, a.units[i]);
  });
  return json{{"summary", std::move(summary)}, {"units", std::move(units)}};
}

}  // namespace canbao::detail
