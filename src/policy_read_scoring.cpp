// The scoring section: ranked units, indicators, timeliness bonuses,
// deductions, grade bands and tie breakers (docs/scoring.md).
#include <algorithm>
#include <set>

#include "detail/model_access.hpp"
#include "detail/policy_reader.hpp"

namespace canbao::detail {

namespace {

Ratio read_ratio_at_least(ObjectReader& r, const std::string& key, const Ratio& min, bool strict) {
  const Ratio v = r.ratio(key);
  if (strict ? v <= min : v < min) {
    fail_at(r.path_of(key), std::string("must be ") + (strict ? "> " : ">= ") +
                                min.decimal_string() + ", got " + v.decimal_string());
  }
  return v;
}

}  // namespace

Scoring read_scoring(const json& j, const std::string& path, const Policy& p) {
  ObjectReader r(j, path);
  Scoring s;
  const int year = p.campaign.year;
  s.ranked_units = read_scope(r.required("ranked_units"), r.path_of("ranked_units"), p);
  const json& indicators = r.array("indicators");
  if (indicators.empty()) fail_at(r.path_of("indicators"), "list at least one indicator");
  UniqueIds ids("indicator");
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    ObjectReader ir(indicators[i], path_index(r.path_of("indicators"), i));
    Indicator ind;
    ind.id = ir.string("id");
    ids.add(ind.id, ir.path_of("id"));
    ind.name = ir.string("name");
    ind.metric = ir.string("metric");
    ModelAccess::metric_index(ind) = metric_ref(p, ind.metric, ir.path_of("metric"));
    ind.weight = read_ratio_at_least(ir, "weight", Ratio(0), true);
    ind.cap = read_ratio_at_least(ir, "cap", Ratio(0), true);
    ir.done();
    // weight x value / target: every ranked unit needs a target.
    require_targets(p, ind.metric_index(), s.ranked_units.unit_indices(), ir.path_of("metric"),
                    "but it is ranked by this indicator");
    s.indicators.push_back(std::move(ind));
  }
  if (const json* timeliness = r.optional_array("timeliness")) {
    for (std::size_t i = 0; i < timeliness->size(); ++i) {
      ObjectReader tr((*timeliness)[i], path_index(r.path_of("timeliness"), i));
      TimelinessBonus b;
      b.by = read_date_spec(tr, "by", year);
      b.points = read_ratio_at_least(tr, "points", Ratio(0), false);
      tr.done();
      if (i > 0 && b.by.date <= s.timeliness.back().by.date) {
        fail_at(tr.path_of("by"), "must be after timeliness[" + std::to_string(i - 1) + "].by " +
                                      s.timeliness.back().by.date.iso());
      }
      s.timeliness.push_back(std::move(b));
    }
  }
  if (const json* deductions = r.optional_array("deductions")) {
    UniqueIds dids("deduction");
    for (std::size_t i = 0; i < deductions->size(); ++i) {
      ObjectReader dr((*deductions)[i], path_index(r.path_of("deductions"), i));
      Deduction d;
      d.id = dr.string("id");
      dids.add(d.id, dr.path_of("id"));
      d.metric = dr.string("metric");
      ModelAccess::metric_index(d) = count_metric_ref(p.metrics, d.metric, dr.path_of("metric"));
      d.points_per_count = read_ratio_at_least(dr, "points_per_count", Ratio(0), false);
      d.max_points = read_ratio_at_least(dr, "max_points", Ratio(0), false);
      d.source = optional_text(dr, "source");
      dr.done();
      s.deductions.push_back(std::move(d));
    }
  }
  const json& grades = r.array("grades");
  if (grades.empty()) fail_at(r.path_of("grades"), "list at least one grade band");
  for (std::size_t i = 0; i < grades.size(); ++i) {
    ObjectReader gr(grades[i], path_index(r.path_of("grades"), i));
    GradeBand g;
    g.grade = gr.string("grade");
    if (g.grade != "commend" && g.grade != "pass" && g.grade != "criticise") {
      fail_at(gr.path_of("grade"),
              "expected \"commend\", \"pass\" or \"criticise\", got " + in_quotes(g.grade));
    }
    g.name = gr.string("name");
    g.min_score = gr.ratio("min_score");
    gr.done();
    if (i > 0 && g.min_score >= s.grades.back().min_score) {
      fail_at(gr.path_of("min_score"), "must be below grades[" + std::to_string(i - 1) +
                                           "].min_score " +
                                           s.grades.back().min_score.decimal_string());
    }
    s.grades.push_back(std::move(g));
  }
  s.awards_require_targets_met = r.boolean("awards_require_targets_met", true);
  // 003 三(三): a unit that missed a target is not commended (an award); it gets
  // the best band that is not an award, or the one the policy names.
  if (auto g = r.optional_string("best_grade_when_targets_missed")) {
    if (*g != "pass" && *g != "criticise") {
      fail_at(r.path_of("best_grade_when_targets_missed"),
              "expected \"pass\" or \"criticise\" (a grade that is not an award), got " +
                  in_quotes(*g));
    }
    const bool listed = std::any_of(s.grades.begin(), s.grades.end(),
                                    [&](const GradeBand& b) { return b.grade == *g; });
    if (!listed) {
      fail_at(r.path_of("best_grade_when_targets_missed"),
              in_quotes(*g) + " is not one of the grades bands");
    }
    s.best_grade_when_targets_missed = *g;
  }
  if (s.awards_require_targets_met && !s.grades.empty() &&
      std::all_of(s.grades.begin(), s.grades.end(),
                  [](const GradeBand& b) { return b.grade == "commend"; })) {
    fail_at(r.path_of("grades"),
            "awards_require_targets_met needs a band that is not an award (pass or criticise) "
            "for units that missed a target");
  }
  if (const json* ties = r.optional_array("tie_breakers")) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < ties->size(); ++i) {
      const std::string at = path_index(r.path_of("tie_breakers"), i);
      const std::string name = read_string((*ties)[i], at);
      bool found = false;
      for (TieBreaker t : {TieBreaker::earlier_completion, TieBreaker::higher_first_indicator,
                           TieBreaker::unit_order}) {
        if (name == tie_breaker_name(t)) {
          s.tie_breakers.push_back(t);
          found = true;
        }
      }
      if (!found) {
        fail_at(
            at,
            "expected \"earlier_completion\", \"higher_first_indicator\" or \"unit_order\", got " +
                in_quotes(name));
      }
      if (!seen.insert(name).second) fail_at(at, in_quotes(name) + " is listed twice");
    }
  }
  s.source = optional_text(r, "source");
  r.done();
  const bool uses_completion =
      !s.timeliness.empty() ||
      std::count(s.tie_breakers.begin(), s.tie_breakers.end(), TieBreaker::earlier_completion) > 0;
  if (uses_completion && !p.completion) {
    fail_at(path,
            "timeliness bonuses and the earlier_completion tie breaker need a "
            "\"completion\" section");
  }
  return s;
}

}  // namespace canbao::detail
