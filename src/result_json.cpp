// JSON builders for the results (detail/result_json.hpp) and the public
// write_*_json writers over them. Formatting only: every figure comes from the
// result. Key names and meanings are documented in docs/report.md (campaign
// results), docs/recommendation.md and docs/retirement.md; call_json answers
// with exactly these values.
#include "detail/result_json.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include <canbao/report.hpp>
#include <canbao/result_json.hpp>

#include "detail/json_text_writer.hpp"

namespace canbao {
namespace detail {
namespace {

using nlohmann::json;

std::string month_text(YearMonth m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m.year, m.month);
  return buf;
}
json years_months(YearsMonths a) { return json{{"years", a.years}, {"months", a.months}}; }

// The per-unit elements as text (json_text_writer.hpp): keys in nlohmann's
// sorted order, each value as dump() prints it.

void append_tier(std::string& out, int tier) {  // 1-based like the documents' 第1档
  if (tier < 0) {
    out += "null";
  } else {
    append_json_int(out, tier + 1);
  }
}

void append_payout(std::string& out, const WorkFundPayout& p) {
  out += "{\"amount_fen\":";
  append_json_int(out, p.amount.count());
  out += ",\"basis\":";
  append_json_int(out, p.basis);
  out += ",\"basis_on\":";
  append_json_date(out, p.basis_on);
  out += ",\"completed_on\":";
  append_json_date_or_null(out, p.completed_on);
  out += ",\"deadline\":";
  append_json_date_or_null(out, p.deadline);
  out += ",\"per_person_fen\":";
  append_json_int(out, p.per_person.count());
  out += ",\"status\":";
  append_json_string(out, work_fund_status_name(p.status));
  out += ",\"tier\":";
  append_tier(out, p.tier);
  out += ",\"unit_id\":";
  append_json_string(out, p.unit_id);
  out += '}';
}

void append_string_or_null(std::string& out, const std::string& s) {
  if (s.empty()) {
    out += "null";
  } else {
    append_json_string(out, s);
  }
}

void append_unit_score(std::string& out, const UnitScore& u) {
  out += "{\"bonus_micro_points\":";
  append_json_int(out, u.bonus_micro_points);
  out += ",\"completed_on\":";
  append_json_date_or_null(out, u.completed_on);
  out += ",\"deductions\":[";
  for (std::size_t k = 0; k < u.deductions.size(); ++k) {
    const DeductionScore& d = u.deductions[k];
    out += k > 0 ? ",{\"count\":" : "{\"count\":";
    append_json_int(out, d.count);
    out += ",\"id\":";
    append_json_string(out, d.deduction_id);
    out += ",\"micro_points\":";
    append_json_int(out, d.micro_points);
    out += ",\"points\":";
    append_json_string(out, points_string(d.micro_points));
    out += '}';
  }
  out += "],\"eligible_for_awards\":";
  append_json_bool(out, u.eligible_for_awards);
  out += ",\"grade\":";
  append_string_or_null(out, u.grade);
  out += ",\"grade_by_score\":";
  append_string_or_null(out, u.grade_by_score);
  out += ",\"indicators\":[";
  for (std::size_t k = 0; k < u.indicators.size(); ++k) {
    const IndicatorScore& i = u.indicators[k];
    out += k > 0 ? ",{\"completion\":" : "{\"completion\":";
    append_json_ratio_or_null(out, i.completion);
    out += ",\"id\":";
    append_json_string(out, i.indicator_id);
    out += ",\"micro_points\":";
    append_json_int(out, i.micro_points);
    out += ",\"points\":";
    append_json_string(out, points_string(i.micro_points));
    out += ",\"target\":";
    append_json_ratio(out, i.target);
    out += ",\"value\":";
    append_json_ratio_or_null(out, i.value);
    out += '}';
  }
  out += "],\"micro_points\":";
  append_json_int(out, u.total_micro_points);
  out += ",\"missed_targets\":[";
  for (std::size_t k = 0; k < u.missed_targets.size(); ++k) {
    const MissedTarget& m = u.missed_targets[k];
    out += k > 0 ? ",{\"metric\":" : "{\"metric\":";
    append_json_string(out, m.metric_id);
    out += ",\"target\":";
    append_json_ratio(out, m.target);
    out += ",\"value\":";
    append_json_ratio_or_null(out, m.value);
    out += '}';
  }
  out += "],\"points\":";
  append_json_string(out, points_string(u.total_micro_points));
  out += ",\"rank\":";
  append_json_int(out, u.rank);
  out += ",\"timeliness\":";
  if (u.timeliness < 0) {
    out += "null";
  } else {
    append_json_int(out, u.timeliness);
  }
  out += ",\"unit_id\":";
  append_json_string(out, u.unit_id);
  out += '}';
}

// A milestone's unit; value_on_due only in the report (null: not written).
void append_milestone_unit(std::string& out, const MilestoneUnitResult& u,
                           const std::optional<Ratio>* value_on_due) {
  out += "{\"met_on\":";
  append_json_date_or_null(out, u.met_on);
  out += ",\"reached_on\":";
  append_json_date_or_null(out, u.reached_on);
  out += ",\"status\":";
  append_json_string(out, milestone_status_name(u.status));
  out += ",\"unit_id\":";
  append_json_string(out, u.unit_id);
  if (value_on_due) {
    out += ",\"value_on_due\":";
    append_json_ratio_or_null(out, *value_on_due);
  }
  out += '}';
}

void append_completion(std::string& out, const UnitCompletion& c) {
  out += "{\"completed_on\":";
  append_json_date_or_null(out, c.completed_on);
  out += ",\"unit_id\":";
  append_json_string(out, c.unit_id);
  out += '}';
}

void append_late_report(std::string& out, const ReportingCheck& c) {
  out += "{\"covers_until\":";
  append_json_date(out, c.deadline.covers_until);
  out += ",\"days_late\":";
  append_json_int(out, c.days_late);
  out += ",\"due\":";
  append_json_date(out, c.deadline.due);
  out += ",\"status\":";
  append_json_string(out, submission_status_name(c.status));
  out += ",\"submitted\":";
  append_json_date_or_null(out, c.submitted);
  out += ",\"unit_id\":";
  append_json_string(out, c.unit_id);
  out += '}';
}

// A segment's metrics in the order a DOM object prints its keys: sorted, and
// of a repeated id only the last (an object's later assignment wins).
std::vector<std::size_t> sorted_metric_keys(const SegmentReport& sr) {
  std::vector<std::size_t> order(sr.metrics.size());
  for (std::size_t m = 0; m < order.size(); ++m) order[m] = m;
  std::stable_sort(order.begin(), order.end(), [&sr](std::size_t a, std::size_t b) {
    return sr.metric_ids[a] < sr.metric_ids[b];
  });
  std::vector<std::size_t> keys;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k + 1 < order.size() && sr.metric_ids[order[k + 1]] == sr.metric_ids[order[k]]) continue;
    keys.push_back(order[k]);
  }
  return keys;
}

void append_segment_unit(std::string& out, const SegmentReport& sr,
                         const std::vector<std::size_t>& keys, std::size_t u) {
  out += "{\"unit_id\":";
  append_json_string(out, sr.unit_ids[u]);
  out += ",\"values\":{";
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (k > 0) out += ',';
    append_json_string(out, sr.metric_ids[keys[k]]);
    out += ':';
    append_json_ratio_or_null(out, sr.values[u][keys[k]]);
  }
  out += "}}";
}

}  // namespace

json to_json_value(const Phase& p) {
  json j = json::object();
  j["id"] = p.id;
  j["name"] = p.name;
  j["start"] = p.start.date.iso();
  j["end"] = p.end.date.iso();
  // Added with open phases and segments, written only when set.
  if (p.open_start) j["open_start"] = true;
  if (p.open_end) j["open_end"] = true;
  if (!p.segment.empty()) j["segment"] = p.segment;
  if (!p.source.empty()) j["source"] = p.source;
  return j;
}

json to_json_value(const std::vector<const Phase*>& phases) {
  json out = json::array();
  for (const Phase* phase : phases) out.push_back(to_json_value(*phase));
  return out;
}

json to_json_value(const Recommendation& rec) {
  json actions = json::array();
  for (int a = 0; a < kActionCount; ++a) {
    if (rec.actions & (1u << a)) actions.push_back(action_name(static_cast<Action>(a)));
  }
  json groups = json::array();
  for (int g = 1; g <= kGroupCount; ++g) {
    if (rec.in_group(g)) groups.push_back("g" + std::to_string(g));
  }
  json fired = json::array();
  for (const FiredRow& f : rec.trace) {
    json row = {
        {"path", f.rule->path}, {"reason_zh", f.rule->reason.zh}, {"reason_en", f.rule->reason.en}};
    if (!f.rule->source.empty()) row["source"] = f.rule->source;
    fired.push_back(std::move(row));
  }
  const DerivedFacts& d = rec.facts;
  return json{{"scheme", scheme_name(rec.scheme)},
              {"actions", std::move(actions)},
              {"groups", std::move(groups)},
              {"facts",
               {{"age", d.age},
                {"retirement_date", d.retirement_date.iso()},
                {"years_to_retirement", d.years_to_retirement},
                {"contributable_months", d.contributable_months},
                {"minimum_months", d.minimum_months},
                {"prior_contribution_months", d.prior_contribution_months},
                {"months_still_needed", d.months_still_needed()},
                {"reaches_minimum_by_retirement", d.reaches_minimum_by_retirement()}}},
              {"fired", std::move(fired)},
              {"reason_zh", rec.reason_zh()},
              {"reason_en", rec.reason_en()}};
}

json to_json_value(const WorkFundResult& wf, Date as_of, JsonHoles* holes) {
  json payouts = JsonHoles::array(holes, wf.payouts.size(), [&wf](std::size_t i, std::string& out) {
    append_payout(out, wf.payouts[i]);
  });
  return json{{"as_of", as_of.iso()},
              {"format_version", kResultFormatVersion},
              {"payer", wf.payer},
              {"total_fen", wf.total.count()},
              {"payouts", std::move(payouts)}};
}

json to_json_value(const Ranking& ranking, JsonHoles* holes) {
  json units = JsonHoles::array(
      holes, ranking.units.size(),
      [&ranking](std::size_t k, std::string& out) { append_unit_score(out, ranking.units[k]); });
  return json{{"as_of", ranking.as_of.iso()},
              {"format_version", kResultFormatVersion},
              {"units", std::move(units)}};
}

json to_json_value(const std::vector<MilestoneResult>& results) {
  json out = json::array();
  for (const MilestoneResult& m : results) {
    json units = JsonHoles::array(nullptr, m.units.size(), [&m](std::size_t u, std::string& text) {
      append_milestone_unit(text, m.units[u], nullptr);
    });
    out.push_back({{"id", m.milestone_id}, {"due", m.due.iso()}, {"units", std::move(units)}});
  }
  return out;
}

json to_json_value(const std::vector<UnitCompletion>& completions, JsonHoles* holes) {
  return JsonHoles::array(
      holes, completions.size(),
      [&completions](std::size_t i, std::string& out) { append_completion(out, completions[i]); });
}

// Documented key by key in docs/report.md. The keys op_report always wrote
// keep their meaning; campaign_title, campaign_year and
// milestones[].units[].value_on_due were added later, and later still
// deadlines, segments, milestones[].segment and phases[].segment/open_*.
json to_json_value(const CampaignReport& r, JsonHoles* holes) {
  json phases = json::array();
  for (const Phase& phase : r.active_phases) phases.push_back(to_json_value(phase));
  json next = nullptr;
  if (const auto& d = r.next_reporting_deadline) {
    next = {{"due", d->due.iso()}, {"covers_until", d->covers_until.iso()}};
  }
  // to_json_value(milestones) with value_on_due beside each unit's status
  // (one per unit) and the segment when set.
  json milestones = json::array();
  for (const MilestoneReport& m : r.milestones) {
    const MilestoneResult& result = m.result;
    json units =
        JsonHoles::array(holes, result.units.size(), [&m](std::size_t u, std::string& out) {
          append_milestone_unit(out, m.result.units[u],
                                u < m.value_on_due.size() ? &m.value_on_due[u] : nullptr);
        });
    json mj{{"id", result.milestone_id}, {"due", result.due.iso()}, {"units", std::move(units)}};
    if (!m.segment.empty()) mj["segment"] = m.segment;
    milestones.push_back(std::move(mj));
  }
  json deadlines = json::array();
  for (const DeadlineReport& d : r.deadlines) {
    json dj{{"id", d.deadline.id},
            {"name", d.deadline.name},
            {"due", d.deadline.due.date.iso()},
            {"contents", d.deadline.contents},
            {"days_left", d.days_left}};
    if (!d.deadline.submitted_by.empty()) dj["submitted_by"] = d.deadline.submitted_by;
    if (!d.deadline.submit_to.empty()) dj["submit_to"] = d.deadline.submit_to;
    deadlines.push_back(std::move(dj));
  }
  json segments = json::array();
  for (const SegmentReport& sr : r.segments) {
    auto keys = std::make_shared<const std::vector<std::size_t>>(sorted_metric_keys(sr));
    json units = JsonHoles::array(
        holes, sr.units.size(),
        [&sr, keys](std::size_t u, std::string& out) { append_segment_unit(out, sr, *keys, u); });
    segments.push_back({{"id", sr.segment_id}, {"units", std::move(units)}});
  }
  json late = JsonHoles::array(holes, r.late_reports.size(), [&r](std::size_t i, std::string& out) {
    append_late_report(out, r.late_reports[i]);
  });
  return json{
      {"as_of", r.as_of.iso()},
      {"format_version", kResultFormatVersion},
      {"campaign", r.campaign_id},
      {"campaign_title", r.campaign_title},
      {"campaign_year", r.campaign_year},
      {"fingerprint", r.policy_fingerprint},
      {"phases", std::move(phases)},
      {"next_reporting_deadline", std::move(next)},
      {"deadlines", std::move(deadlines)},
      {"segments", std::move(segments)},
      {"completions", to_json_value(r.completions, holes)},
      {"milestones", std::move(milestones)},
      {"work_fund", r.work_fund ? to_json_value(*r.work_fund, r.as_of, holes) : json(nullptr)},
      {"scores", r.ranking ? to_json_value(*r.ranking, holes) : json(nullptr)},
      // Added with projections (docs/projections.md); null when not gathered.
      {"projections", r.projections ? to_json_value(*r.projections, holes) : json(nullptr)},
      {"late_reports", std::move(late)},
      {"reports_unknown", r.reports_unknown},
      // Added with issue 13: the action part and whether grades are provisional.
      {"action", to_json_value(r.action, holes)},
      {"provisional", r.action.summary.provisional}};
}

json to_json_value(const RetirementSchedule& s) {
  return json{{"sex", sex_name(s.sex)},
              {"original_age", s.original_age_years},
              {"birth_month", month_text(s.birth_month)},
              {"statutory_age", years_months(s.statutory_age)},
              {"delay_months", s.delay_months},
              {"retirement_month", month_text(s.retirement_month)},
              {"retirement_date", s.retirement_date.iso()},
              {"minimum_contribution_months", s.minimum_contribution_months},
              {"earliest_age", years_months(s.earliest_age)},
              {"earliest_month", month_text(s.earliest_month)},
              {"latest_age", years_months(s.latest_age)},
              {"latest_month", month_text(s.latest_month)}};
}

// The number is never echoed, not even masked: the masked form (first 6 +
// last 4) together with the birth date (digits 7-14) would spell it whole.
// The region code, birth date and sex leave the sequence digits hidden.
json to_json_value(const ResidentId& id) {
  return json{{"region_code", std::string(id.region_code())},
              {"birth_date", id.birth_date().iso()},
              {"sex", sex_name(id.sex())}};
}

void write_json_value(const json& value, std::ostream& out, int indent) {
  out << value.dump(indent) << "\n";
}

}  // namespace detail

void write_phases_json(const std::vector<const Phase*>& phases, std::ostream& out, int indent) {
  detail::write_json_value(detail::to_json_value(phases), out, indent);
}
void write_recommendation_json(const Recommendation& rec, std::ostream& out, int indent) {
  detail::write_json_value(detail::to_json_value(rec), out, indent);
}
void write_retirement_json(const RetirementSchedule& s, std::ostream& out, int indent) {
  detail::write_json_value(detail::to_json_value(s), out, indent);
}
void write_resident_id_json(const ResidentId& id, std::ostream& out, int indent) {
  detail::write_json_value(detail::to_json_value(id), out, indent);
}

void write_work_fund_json(const WorkFundResult& wf, Date as_of, std::ostream& out, int indent) {
  detail::write_json_streamed(
      [&](detail::JsonHoles* holes) { return detail::to_json_value(wf, as_of, holes); }, out,
      indent);
}
void write_ranking_json(const Ranking& ranking, std::ostream& out, int indent) {
  detail::write_json_streamed(
      [&](detail::JsonHoles* holes) { return detail::to_json_value(ranking, holes); }, out, indent);
}
void write_milestones_json(const std::vector<MilestoneResult>& milestones, std::ostream& out,
                           int indent) {
  detail::write_json_value(detail::to_json_value(milestones), out, indent);
}
void write_completions_json(const std::vector<UnitCompletion>& completions, std::ostream& out,
                            int indent) {
  detail::write_json_value(detail::to_json_value(completions), out, indent);
}
void write_report_json(const CampaignReport& report, std::ostream& out, int indent) {
  detail::write_json_streamed(
      [&](detail::JsonHoles* holes) { return detail::to_json_value(report, holes); }, out, indent);
}

}  // namespace canbao
