// The JSON form of the report's action part (report_action.hpp), under the
// report's "action" key (keys in docs/report.md). Money in integer fen, ratios
// as decimal strings (six places), tiers counted from 1 like payouts.
#include <nlohmann/json.hpp>

#include <canbao/report.hpp>

#include "detail/result_json.hpp"

namespace canbao::detail {

namespace {

using nlohmann::json;

json date_or_null(const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); }
json ratio_or_null(const std::optional<Ratio>& r) {
  return r ? json(r->decimal_string()) : json(nullptr);
}
json fen_or_null(const std::optional<Fen>& f) { return f ? json(f->count()) : json(nullptr); }
json int_or_null(const std::optional<std::int32_t>& i) { return i ? json(*i) : json(nullptr); }

json gap_json(const TargetGap& g) {
  return json{{"metric", g.metric_id},
              {"target", g.target.decimal_string()},
              {"current", ratio_or_null(g.current)},
              {"shortfall", g.shortfall.decimal_string()},
              {"status", gap_status_name(g.status)},
              {"deadline", date_or_null(g.deadline)},
              {"deadline_kind", gap_deadline_kind_name(g.deadline_kind)},
              {"deadline_ref", g.deadline_ref},
              {"days_left", g.deadline ? json(g.days_left) : json(nullptr)},
              {"needed_per_day", ratio_or_null(g.needed_per_day)}};
}

json stake_json(const FundAtStake& f) {
  return json{{"rule", f.tier < 0 ? "late" : "tier"},
              {"tier", f.tier < 0 ? json(nullptr) : json(f.tier + 1)},
              {"deadline", date_or_null(f.deadline)},
              {"per_person_fen", f.per_person.count()},
              {"basis", f.basis},
              {"basis_on", f.basis_on.iso()},
              {"amount_fen", f.amount.count()}};
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
  json units = JsonHoles::array(holes, a.units.size(), [&a](std::size_t i) -> json {
    const UnitAction& u = a.units[i];
    json gaps = json::array(), stake = json::array();
    for (const TargetGap& g : u.gaps) gaps.push_back(gap_json(g));
    for (const FundAtStake& f : u.at_stake) stake.push_back(stake_json(f));
    return json{{"unit_id", u.unit_id},
                {"standing", unit_standing_name(u.standing)},
                {"completion", ratio_or_null(u.completion)},
                {"reasons", u.reasons},
                {"targets", std::move(gaps)},
                {"at_stake", std::move(stake)}};
  });
  return json{{"summary", std::move(summary)}, {"units", std::move(units)}};
}

}  // namespace canbao::detail
