// JSON builders for the results (detail/result_json.hpp) and the public
// write_*_json writers over them. Formatting only: every figure comes from the
// result. Key names and meanings are documented in docs/report.md (campaign
// results), docs/recommendation.md and docs/retirement.md; call_json answers
// with exactly these values.
#include "detail/result_json.hpp"

#include <cstdio>
#include <ostream>
#include <string>
#include <utility>

#include <canbao/report.hpp>
#include <canbao/result_json.hpp>

namespace canbao {
namespace detail {
namespace {

using nlohmann::json;

json date_or_null(const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); }
json ratio_or_null(const std::optional<Ratio>& r) {
  return r ? json(r->decimal_string()) : json(nullptr);
}
std::string month_text(YearMonth m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m.year, m.month);
  return buf;
}
json years_months(YearsMonths a) { return json{{"years", a.years}, {"months", a.months}}; }

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
  json payouts = JsonHoles::array(holes, wf.payouts.size(), [&wf](std::size_t i) -> json {
    const WorkFundPayout& p = wf.payouts[i];
    return {{"unit_id", p.unit_id},
            {"completed_on", date_or_null(p.completed_on)},
            {"status", work_fund_status_name(p.status)},
            // 1-based like the documents' 第1档 and every other output.
            {"tier", p.tier < 0 ? json(nullptr) : json(p.tier + 1)},
            {"deadline", date_or_null(p.deadline)},
            {"per_person_fen", p.per_person.count()},
            {"basis", p.basis},
            {"basis_on", p.basis_on.iso()},
            {"amount_fen", p.amount.count()}};
  });
  return json{{"as_of", as_of.iso()},
              {"format_version", kResultFormatVersion},
              {"payer", wf.payer},
              {"total_fen", wf.total.count()},
              {"payouts", std::move(payouts)}};
}

json to_json_value(const Ranking& ranking, JsonHoles* holes) {
  json units = JsonHoles::array(holes, ranking.units.size(), [&ranking](std::size_t k) -> json {
    const UnitScore& u = ranking.units[k];
    json indicators = json::array();
    for (const IndicatorScore& i : u.indicators) {
      indicators.push_back({{"id", i.indicator_id},
                            {"value", ratio_or_null(i.value)},
                            {"target", i.target.decimal_string()},
                            {"completion", ratio_or_null(i.completion)},
                            {"points", points_string(i.micro_points)},
                            {"micro_points", i.micro_points}});
    }
    json deductions = json::array();
    for (const DeductionScore& d : u.deductions) {
      deductions.push_back({{"id", d.deduction_id},
                            {"count", d.count},
                            {"points", points_string(d.micro_points)},
                            {"micro_points", d.micro_points}});
    }
    json missed = json::array();
    for (const MissedTarget& m : u.missed_targets) {
      missed.push_back({{"metric", m.metric_id},
                        {"value", ratio_or_null(m.value)},
                        {"target", m.target.decimal_string()}});
    }
    return {{"unit_id", u.unit_id},
            {"rank", u.rank},
            {"points", points_string(u.total_micro_points)},
            {"micro_points", u.total_micro_points},
            {"grade", u.grade.empty() ? json(nullptr) : json(u.grade)},
            {"grade_by_score", u.grade_by_score.empty() ? json(nullptr) : json(u.grade_by_score)},
            {"eligible_for_awards", u.eligible_for_awards},
            {"completed_on", date_or_null(u.completed_on)},
            {"timeliness", u.timeliness < 0 ? json(nullptr) : json(u.timeliness)},
            {"bonus_micro_points", u.bonus_micro_points},
            {"indicators", std::move(indicators)},
            {"deductions", std::move(deductions)},
            {"missed_targets", std::move(missed)}};
  });
  return json{{"as_of", ranking.as_of.iso()},
              {"format_version", kResultFormatVersion},
              {"units", std::move(units)}};
}

json milestone_unit_json(const MilestoneUnitResult& u) {
  return {{"unit_id", u.unit_id},
          {"status", milestone_status_name(u.status)},
          {"met_on", date_or_null(u.met_on)},
          {"reached_on", date_or_null(u.reached_on)}};
}

json to_json_value(const std::vector<MilestoneResult>& results) {
  json out = json::array();
  for (const MilestoneResult& m : results) {
    json units = json::array();
    for (const MilestoneUnitResult& u : m.units) units.push_back(milestone_unit_json(u));
    out.push_back({{"id", m.milestone_id}, {"due", m.due.iso()}, {"units", std::move(units)}});
  }
  return out;
}

json to_json_value(const std::vector<UnitCompletion>& completions, JsonHoles* holes) {
  return JsonHoles::array(holes, completions.size(), [&completions](std::size_t i) -> json {
    const UnitCompletion& c = completions[i];
    return {{"unit_id", c.unit_id}, {"completed_on", date_or_null(c.completed_on)}};
  });
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
    json units = JsonHoles::array(holes, result.units.size(), [&m](std::size_t u) {
      json e = milestone_unit_json(m.result.units[u]);
      if (u < m.value_on_due.size()) e["value_on_due"] = ratio_or_null(m.value_on_due[u]);
      return e;
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
    json units = JsonHoles::array(holes, sr.units.size(), [&sr](std::size_t u) -> json {
      json values = json::object();
      for (std::size_t m = 0; m < sr.metrics.size(); ++m)
        values[sr.metric_ids[m]] = ratio_or_null(sr.values[u][m]);
      return {{"unit_id", sr.unit_ids[u]}, {"values", std::move(values)}};
    });
    segments.push_back({{"id", sr.segment_id}, {"units", std::move(units)}});
  }
  json late = JsonHoles::array(holes, r.late_reports.size(), [&r](std::size_t i) -> json {
    const ReportingCheck& c = r.late_reports[i];
    return {{"due", c.deadline.due.iso()},
            {"covers_until", c.deadline.covers_until.iso()},
            {"unit_id", c.unit_id},
            {"status", submission_status_name(c.status)},
            {"submitted", c.submitted ? json(c.submitted->iso()) : json(nullptr)},
            {"days_late", c.days_late}};
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
