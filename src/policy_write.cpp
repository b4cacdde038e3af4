// The canonical policy writer, used for round trips and the fingerprint: what a
// reload reads back as the same policy, with derived values (allocated and
// implied targets) left out. See docs/policy-format.md.
#include <canbao/policy.hpp>

#include <canbao/error.hpp>

#include "detail/facts_json.hpp"
#include "detail/int128.hpp"
#include "detail/policy_reader.hpp"
#include "detail/recommendation_json.hpp"

namespace canbao {
namespace detail {

// Exact decimal text of a ratio: integers as JSON integers, fractions as the
// decimal string they were read from ("0.9"), so a reload gives the same value.
json ratio_json(const Ratio& value) {
  const Ratio r = value.reduced();
  if (r.den == 1) return r.num;
  detail::int128 scale = 1;
  int decimals = 0;
  while (scale % r.den != 0 && decimals < 30) {
    scale *= 10;
    ++decimals;
  }
  if (scale % r.den != 0) {
    throw Error(
        ErrorKind::internal, "to_json",
        "ratio " + std::to_string(r.num) + "/" + std::to_string(r.den) + " has no exact decimal");
  }
  detail::int128 n = static_cast<detail::int128>(r.num) * (scale / r.den);
  const bool negative = n < 0;
  if (negative) n = -n;
  std::string digits;
  for (; n > 0; n /= 10)
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(n % 10)));
  while (digits.size() <= static_cast<std::size_t>(decimals)) digits.insert(digits.begin(), '0');
  digits.insert(digits.size() - static_cast<std::size_t>(decimals), ".");
  return (negative ? "-" : "") + digits;
}

namespace {

void put_text(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

json scope_json(const Scope& s) {
  switch (s.kind) {
    case Scope::Kind::all:
      return "all";
    case Scope::Kind::level:
      return json{{"level", s.level}};
    case Scope::Kind::units:
      return json{{"units", s.unit_ids}};
  }
  return "all";
}

json condition_json(const Condition& c) {
  json j;
  j["metric"] = c.metric;
  j["op"] = comparison_symbol(c.comparison);
  j["value"] = c.use_target ? json("target") : ratio_json(c.threshold);
  return j;
}

json reporting_json(const ReportingCadence& r) {
  json j{{"every", "month"}};
  // A cadence built in C++ across a year end has offsets but no text: write templates.
  const auto month_spec = [](const std::string& text, int offset, int month) {
    if (!text.empty()) return text;
    const std::string year =
        offset == 0 ? "{year}"
                    : "{year" + std::string(offset > 0 ? "+" : "") + std::to_string(offset) + "}";
    return year + (month < 10 ? "-0" : "-") + std::to_string(month);
  };
  if (r.from_text.empty() && r.to_text.empty() && r.first_year_offset == 0 &&
      r.last_year_offset == 0) {
    j["from_month"] = r.first_month;
    j["to_month"] = r.last_month;
  } else {
    j["from"] = month_spec(r.from_text, r.first_year_offset, r.first_month);
    j["to"] = month_spec(r.to_text, r.last_year_offset, r.last_month);
  }
  j["due_day"] = r.due_last_day ? json("last") : json(r.due_day);
  if (r.covers == ReportingCadence::Covers::due_day) j["covers"] = "due_day";
  if (!r.submitted_by.empty()) j["submitted_by"] = r.submitted_by;
  put_text(j, "source", r.source);
  return j;
}

json campaign_json(const Campaign& c) {
  json j;
  j["id"] = c.id;
  j["title"] = c.title;
  j["year"] = c.year;
  // Keys added later are written only when used: old policies keep their fingerprint.
  if (c.start) j["start"] = c.start->text;
  if (c.end) j["end"] = c.end->text;
  if (!c.segments.empty()) {
    json segments = json::array();
    for (const auto& s : c.segments) {
      json sj{{"id", s.id}, {"name", s.name}};
      put_text(sj, "source", s.source);
      segments.push_back(std::move(sj));
    }
    j["segments"] = std::move(segments);
  }
  json phases = json::array();
  for (const auto& p : c.phases) {
    json pj{{"id", p.id}, {"name", p.name}};
    if (!p.open_start) pj["start"] = p.start.text;
    if (!p.open_end) pj["end"] = p.end.text;
    put_text(pj, "segment", p.segment);
    put_text(pj, "source", p.source);
    put_text(pj, "note", p.note);
    phases.push_back(std::move(pj));
  }
  j["phases"] = std::move(phases);
  if (c.reporting) j["reporting"] = reporting_json(*c.reporting);
  if (!c.deadlines.empty()) {
    json deadlines = json::array();
    for (const auto& d : c.deadlines) {
      json dj{{"id", d.id}, {"name", d.name}, {"due", d.due.text}, {"contents", d.contents}};
      if (!d.submitted_by.empty()) dj["submitted_by"] = d.submitted_by;
      put_text(dj, "submit_to", d.submit_to);
      put_text(dj, "source", d.source);
      put_text(dj, "note", d.note);
      deadlines.push_back(std::move(dj));
    }
    j["deadlines"] = std::move(deadlines);
  }
  put_text(j, "source", c.source);
  return j;
}

json metric_json(const Metric& m) {
  json j{{"id", m.id}, {"name", m.name}, {"kind", metric_kind_name(m.kind)}};
  put_text(j, "unit", m.unit);
  put_text(j, "segment", m.segment);
  put_text(j, "source", m.source);
  put_text(j, "weight", m.weight);
  put_text(j, "numerator", m.numerator);
  put_text(j, "denominator", m.denominator);
  // Written only when chosen, so policies that do not choose keep their fingerprint.
  if (m.parent_figure != ParentFigure::either)
    j["parent_figure"] = parent_figure_name(m.parent_figure);
  return j;
}

json unit_json(const Unit& u) {
  json j{{"id", u.id}, {"name", u.name}, {"level", u.level}};
  put_text(j, "parent", u.parent);
  json targets = json::object();
  for (const auto& t : u.targets) {
    // Allocated targets are re-derived from the parent's allocate rule on load.
    if (t.origin == TargetOrigin::given) targets[t.metric] = ratio_json(t.value);
  }
  if (!targets.empty()) j["targets"] = std::move(targets);
  if (!u.bases.empty()) {
    json bases = json::object();
    for (const auto& [name, value] : u.bases) bases[name] = value;
    j["bases"] = std::move(bases);
  }
  if (!u.allocations.empty()) {
    json alloc = json::array();
    for (const auto& a : u.allocations) {
      alloc.push_back({{"metric", a.metric}, {"base", a.base}, {"minimum", a.minimum}});
    }
    j["allocate"] = std::move(alloc);
  }
  put_text(j, "source", u.source);
  return j;
}

json work_fund_json(const WorkFund& w) {
  json j;
  json tiers = json::array();
  for (const auto& t : w.tiers) {
    tiers.push_back({{"deadline", t.deadline.text}, {"per_person_fen", t.per_person.count()}});
  }
  j["tiers"] = std::move(tiers);
  j["paid_units"] = scope_json(w.paid_units);
  j["basis"] = {{"metric", w.basis_metric},
                {"as_of", w.basis_as_of == WorkFund::BasisAsOf::completion_date
                              ? std::string("completion_date")
                              : w.basis_date->text}};
  json late;
  if (w.late.kind == LateRule::Kind::zero) {
    late["rule"] = "zero";
  } else {
    late["rule"] = "per_person";
    late["per_person_fen"] = w.late.per_person.count();
  }
  put_text(late, "note", w.late.note);
  j["late"] = std::move(late);
  put_text(j, "payer", w.payer);
  put_text(j, "source", w.source);
  return j;
}

json scoring_json(const Scoring& s) {
  json j;
  j["ranked_units"] = scope_json(s.ranked_units);
  json indicators = json::array();
  for (const auto& i : s.indicators) {
    indicators.push_back({{"id", i.id},
                          {"name", i.name},
                          {"metric", i.metric},
                          {"weight", ratio_json(i.weight)},
                          {"cap", ratio_json(i.cap)}});
  }
  j["indicators"] = std::move(indicators);
  json timeliness = json::array();
  for (const auto& t : s.timeliness)
    timeliness.push_back({{"by", t.by.text}, {"points", ratio_json(t.points)}});
  j["timeliness"] = std::move(timeliness);
  json deductions = json::array();
  for (const auto& d : s.deductions) {
    json dj{{"id", d.id},
            {"metric", d.metric},
            {"points_per_count", ratio_json(d.points_per_count)},
            {"max_points", ratio_json(d.max_points)}};
    put_text(dj, "source", d.source);
    deductions.push_back(std::move(dj));
  }
  j["deductions"] = std::move(deductions);
  json grades = json::array();
  for (const auto& g : s.grades) {
    grades.push_back(
        {{"grade", g.grade}, {"name", g.name}, {"min_score", ratio_json(g.min_score)}});
  }
  j["grades"] = std::move(grades);
  j["awards_require_targets_met"] = s.awards_require_targets_met;
  put_text(j, "best_grade_when_targets_missed", s.best_grade_when_targets_missed);
  json ties = json::array();
  for (TieBreaker t : s.tie_breakers) ties.push_back(tie_breaker_name(t));
  j["tie_breakers"] = std::move(ties);
  put_text(j, "source", s.source);
  return j;
}

// Money beyond the work fund: written only when present (old policies keep
// their fingerprint), `illustrative` only when true.
json incentive_amount_json(json j, const IncentiveAmount& a) {
  j[a.kind == IncentiveAmount::Kind::per_person ? "per_person_fen" : "per_unit_fen"] =
      a.fen.count();
  return j;
}

json incentive_json(const Incentive& in) {
  json j{{"id", in.id}, {"name", in.name}, {"units", scope_json(in.units)}};
  put_text(j, "basis_metric", in.basis_metric);
  if (in.amount) j = incentive_amount_json(std::move(j), *in.amount);
  if (!in.tiers.empty()) {
    json tiers = json::array();
    for (const auto& t : in.tiers)
      tiers.push_back(incentive_amount_json(json{{"deadline", t.deadline.text}}, t.amount));
    j["tiers"] = std::move(tiers);
  }
  if (in.when) j["when"] = condition_json(*in.when);
  if (in.cap) j["cap_fen"] = in.cap->count();
  put_text(j, "payer", in.payer);
  if (in.illustrative) j["illustrative"] = true;
  put_text(j, "source", in.source);
  put_text(j, "note", in.note);
  return j;
}

json costs_json(const Costs& c) {
  json j;
  json grades = json::array();
  for (const auto& g : c.grades)
    grades.push_back({{"yuan", g.yuan}, {"subsidy_fen", g.subsidy.count()}});
  j["grades"] = std::move(grades);
  if (c.government_pays) {
    json g{{"grade_yuan", c.government_pays->grade_yuan}};
    put_text(g, "source", c.government_pays->source);
    j["government_pays"] = std::move(g);
  }
  if (c.back_pay) {
    json b{{"years", c.back_pay->years}, {"grade_yuan", c.back_pay->grade_yuan}};
    put_text(b, "source", c.back_pay->source);
    j["back_pay"] = std::move(b);
  }
  put_text(j, "payer", c.payer);
  if (c.illustrative) j["illustrative"] = true;
  put_text(j, "source", c.source);
  put_text(j, "note", c.note);
  return j;
}

}  // namespace

json policy_json(const Policy& p) {
  json j = policy_json_without_units(p);
  json units = json::array();
  for (const auto& u : p.units.units) units.push_back(unit_json(u));
  j["units"] = std::move(units);
  return j;
}

json policy_json_without_units(const Policy& p) {
  json j;
  j["schema"] = policy_schema_id;
  if (!p.note.empty()) j["note"] = p.note;
  j["campaign"] = campaign_json(p.campaign);
  json metrics = json::array();
  for (const auto& m : p.metrics) metrics.push_back(metric_json(m));
  j["metrics"] = std::move(metrics);
  j["units"] = json::array();
  if (p.completion) {
    json tasks = json::array();
    for (const auto& c : p.completion->tasks) tasks.push_back(condition_json(c));
    json cj{{"tasks", std::move(tasks)}};
    put_text(cj, "source", p.completion->source);
    j["completion"] = std::move(cj);
  }
  if (!p.milestones.empty()) {
    json ms = json::array();
    for (const auto& m : p.milestones) {
      json mj = condition_json(m.condition);
      mj["id"] = m.id;
      mj["name"] = m.name;
      mj["due"] = m.due.text;
      mj["scope"] = scope_json(m.scope);
      put_text(mj, "segment", m.segment);
      put_text(mj, "source", m.source);
      ms.push_back(std::move(mj));
    }
    j["milestones"] = std::move(ms);
  }
  if (p.work_fund) j["work_fund"] = work_fund_json(*p.work_fund);
  if (p.scoring) j["scoring"] = scoring_json(*p.scoring);
  if (p.projection) {
    // Every field written, defaults too: the fingerprint covers the settings in force.
    json pj{{"method", p.projection->method},
            {"observations", p.projection->observations},
            {"at_risk_margin", ratio_json(p.projection->at_risk_margin)}};
    put_text(pj, "source", p.projection->source);
    j["projection"] = std::move(pj);
  }
  if (p.recommendation &&
      (!p.recommendation->facts.empty() || p.recommendation->facts.builtin.extended()))
    j["facts"] = detail::write_facts(p.recommendation->facts);
  if (p.recommendation) j["recommendation"] = detail::write_recommendation(*p.recommendation);
  if (!p.incentives.empty()) {
    json incentives = json::array();
    for (const auto& in : p.incentives) incentives.push_back(incentive_json(in));
    j["incentives"] = std::move(incentives);
  }
  if (p.costs) j["costs"] = costs_json(*p.costs);
  return j;
}

}  // namespace detail

std::string to_json(const Policy& policy, int indent) {
  // One line: written in pieces, the units without a DOM (policy_write_stream.cpp).
  if (indent < 0) return detail::canonical_policy_text(policy);
  // nlohmann's object is a std::map: keys come out sorted, so the text is canonical.
  return detail::policy_json(policy).dump(indent);
}

}  // namespace canbao
