// Policy sections read strictly (every key read through ObjectReader, every
// reference resolved, every rule checked): metrics, scopes, conditions,
// completion, milestones and the work fund. The campaign is in
// policy_read_campaign.cpp, units in unit_tree.cpp, scoring in
// policy_read_scoring.cpp. See docs/policy-format.md.
#include <algorithm>
#include <numeric>
#include <set>

#include "detail/model_access.hpp"
#include "detail/policy_reader.hpp"

namespace canbao::detail {

DateSpec read_date_spec(const json& j, const std::string& path, int year) {
  DateSpec spec;
  spec.text = read_string(j, path);
  std::string why;
  const auto date = resolve_date_spec(spec.text, year, &why);
  if (!date) fail_at(path, why);
  spec.date = *date;
  return spec;
}

DateSpec read_date_spec(ObjectReader& r, const std::string& key, int year) {
  return read_date_spec(r.required(key), r.path_of(key), year);
}

std::string optional_text(ObjectReader& r, const std::string& key) {
  return r.optional_string(key).value_or(std::string());
}

// ---------------------------------------------------------------- metrics

namespace {

MetricKind read_metric_kind(ObjectReader& r) {
  const std::string kind = r.string("kind");
  for (MetricKind k : {MetricKind::count, MetricKind::average, MetricKind::rate}) {
    if (kind == metric_kind_name(k)) return k;
  }
  fail_at(r.path_of("kind"), "expected \"count\", \"average\" or \"rate\", got " + in_quotes(kind));
}

}  // namespace

// A reference from one metric to a count metric, resolved to its index.
int count_metric_ref(const std::vector<Metric>& metrics, const std::string& id,
                     const std::string& path) {
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (metrics[i].id != id) continue;
    if (metrics[i].kind != MetricKind::count) {
      fail_at(path, "metric " + in_quotes(id) + " is " + metric_kind_name(metrics[i].kind) +
                        ", expected a count metric");
    }
    return static_cast<int>(i);
  }
  skip_follow_on(failed_metric(id));
  fail_at(path, "no metric " + in_quotes(id));
}

namespace {

Metric read_metric(const json& j, const std::string& path, UniqueIds& ids) {
  ObjectReader r(j, path);
  Metric m;
  m.id = r.string("id");
  ids.add(m.id, r.path_of("id"));
  m.name = r.string("name");
  m.kind = read_metric_kind(r);
  m.unit = optional_text(r, "unit");
  m.segment = optional_text(r, "segment");
  m.source = optional_text(r, "source");
  if (m.kind == MetricKind::average) m.weight = r.string("weight");
  if (m.kind != MetricKind::rate) {
    if (auto f = r.optional_string("parent_figure")) {
      if (*f == "own") {
        m.parent_figure = ParentFigure::own;
      } else if (*f == "children") {
        m.parent_figure = ParentFigure::children;
      } else if (*f != "either") {
        fail_at(r.path_of("parent_figure"),
                "expected \"either\", \"own\" or \"children\", got " + in_quotes(*f));
      }
    }
  }
  if (m.kind == MetricKind::rate) {
    m.numerator = r.string("numerator");
    m.denominator = r.string("denominator");
  }
  r.done();
  return m;
}

// Checking: leaves out the averages and rates over a metric that failed (and
// over those, and so on), as failed too, so none of them gives a follow-on error.
void drop_follow_ons(std::vector<Metric>& metrics, std::vector<std::size_t>& at,
                     std::set<std::string>& failed) {
  for (bool dropped = true; dropped;) {
    dropped = false;
    for (std::size_t i = 0; i < metrics.size(); ++i) {
      const Metric& m = metrics[i];
      if (!failed.count(m.weight) && !failed.count(m.numerator) && !failed.count(m.denominator))
        continue;
      failed.insert(m.id);
      metrics.erase(metrics.begin() + static_cast<std::ptrdiff_t>(i));
      at.erase(at.begin() + static_cast<std::ptrdiff_t>(i));
      dropped = true;
      break;
    }
  }
}

}  // namespace

std::vector<Metric> read_metrics(const json& arr, const std::string& path) {
  if (arr.empty()) fail_at(path, "a policy needs at least one metric");
  std::vector<Metric> metrics;
  std::vector<std::size_t> at;  // the JSON index of each metric read
  UniqueIds ids("metric");
  // Each metric is checked on its own (policy_check.hpp); one that failed is
  // left out, and what refers to it is not checked.
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const bool ok = guarded([&] {
      metrics.push_back(read_metric(arr[i], path_index(path, i), ids));
      at.push_back(i);
    });
    if (!ok) active_check()->failed_metrics.insert(readable_id(arr[i]));
  }
  if (CheckCollector* c = active_check(); c && !c->failed_metrics.empty()) {
    c->failed_metrics.erase("");  // an empty weight, numerator or denominator is no reference
    drop_follow_ons(metrics, at, c->failed_metrics);
  }
  // References may point forwards: resolve once every metric is known.
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    Metric& m = metrics[i];
    const std::string where = path_index(path, at[i]);
    if (m.kind == MetricKind::average) {
      ModelAccess::weight_index(m) = count_metric_ref(metrics, m.weight, path_key(where, "weight"));
    } else if (m.kind == MetricKind::rate) {
      ModelAccess::numerator_index(m) =
          count_metric_ref(metrics, m.numerator, path_key(where, "numerator"));
      ModelAccess::denominator_index(m) =
          count_metric_ref(metrics, m.denominator, path_key(where, "denominator"));
      if (m.numerator_index() == m.denominator_index()) {
        fail_at(path_key(where, "denominator"), "is the same metric as the numerator");
      }
    }
  }
  return metrics;
}

int metric_ref(const Policy& p, const std::string& id, const std::string& path) {
  const int i = p.metric_index(id);
  if (i < 0) {
    skip_follow_on(failed_metric(id));
    std::string known;
    for (const auto& m : p.metrics) known += (known.empty() ? "" : ", ") + m.id;
    fail_at(path, "no metric " + in_quotes(id) + " (metrics: " + known + ")");
  }
  return i;
}

// A target or threshold for a metric: counts are whole numbers >= 0, averages
// >= 0, rates between 0 and 100%.
Ratio read_metric_value(const Metric& m, const json& j, const std::string& path) {
  if (m.kind == MetricKind::count) {
    if (j.is_number_integer() || j.is_number_unsigned()) {
      return Ratio(detail::read_integer(j, path, 0, INT64_MAX));
    }
    fail_at(path,
            "count metric " + in_quotes(m.id) + " takes a whole number, got " +
                (j.is_string() ? in_quotes(j.get<std::string>()) : detail::json_type_name(j)));
  }
  const Ratio v = read_ratio(j, path);
  if (v < Ratio(0)) fail_at(path, "must be >= 0, got " + v.decimal_string());
  if (m.kind == MetricKind::rate && v > Ratio(1)) {
    fail_at(path, "rate " + in_quotes(m.id) + " must be at most 100%, got " + v.percent_string());
  }
  return v;
}

void require_targets(const Policy& p, int metric, const std::vector<int>& units,
                     const std::string& path, const std::string& why) {
  for (int u : units) {
    const Unit& unit = p.units.units[static_cast<std::size_t>(u)];
    if (unit.target(metric)) continue;
    // Checking, after a unit failed: allocated and implied targets are
    // incomplete, so a missing one may be a follow-on.
    skip_follow_on(any_failed_unit());
    fail_at(path, "unit " + in_quotes(unit.id) + " (units[" + std::to_string(u) +
                      "]) has no target for " +
                      in_quotes(p.metrics[static_cast<std::size_t>(metric)].id) + ", " + why);
  }
}

// ---------------------------------------------------------------- conditions, scopes

Scope read_scope(const json& j, const std::string& path, const Policy& p) {
  Scope s;
  const auto& units = p.units.units;
  if (j.is_string()) {
    if (j.get<std::string>() != "all") {
      fail_at(path, "expected \"all\", {\"level\": ...} or {\"units\": [...]}, got " +
                        in_quotes(j.get<std::string>()));
    }
    s.kind = Scope::Kind::all;
    // Sized once: 700,000 units, no regrowth (issue 15).
    ModelAccess::unit_indices(s).resize(units.size());
    std::iota(ModelAccess::unit_indices(s).begin(), ModelAccess::unit_indices(s).end(), 0);
    return s;
  }
  ObjectReader r(j, path);
  if (r.has("level") == r.has("units")) {
    fail_at(path, "a scope is \"all\", {\"level\": ...} or {\"units\": [...]}");
  }
  if (r.has("level")) {
    s.kind = Scope::Kind::level;
    s.level = r.string("level");
    // Counted first, then sized once (a national level is 700,000 villages).
    ModelAccess::unit_indices(s).reserve(static_cast<std::size_t>(std::count_if(
        units.begin(), units.end(), [&s](const Unit& u) { return u.level == s.level; })));
    for (std::size_t i = 0; i < units.size(); ++i) {
      if (units[i].level == s.level) ModelAccess::unit_indices(s).push_back(static_cast<int>(i));
    }
    if (s.unit_indices().empty()) {
      skip_follow_on(any_failed_unit());  // the level may be a failed unit's
      fail_at(r.path_of("level"), "no unit has level " + in_quotes(s.level));
    }
  } else {
    s.kind = Scope::Kind::units;
    const json& ids = r.array("units");
    if (ids.empty()) fail_at(r.path_of("units"), "list at least one unit");
    std::set<int> seen;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::string at = path_index(r.path_of("units"), i);
      const std::string id = read_string(ids[i], at);
      const int u = p.units.find(id);
      if (u < 0) fail_at(at, "no unit " + in_quotes(id));
      if (!seen.insert(u).second) fail_at(at, "unit " + in_quotes(id) + " is listed twice");
      s.unit_ids.push_back(id);
      ModelAccess::unit_indices(s).push_back(u);
    }
  }
  r.done();
  return s;
}

namespace {

Comparison read_comparison(ObjectReader& r) {
  const std::string op = r.string("op");
  Comparison c;
  if (!parse_comparison(op, &c)) {
    fail_at(r.path_of("op"),
            "expected \">=\", \">\", \"<=\", \"<\" or \"==\", got " + in_quotes(op));
  }
  return c;
}

}  // namespace

// Reads metric, op and value (a threshold or "target") from `r`.
Condition read_condition(ObjectReader& r, const Policy& p) {
  Condition c;
  c.metric = r.string("metric");
  ModelAccess::metric_index(c) = metric_ref(p, c.metric, r.path_of("metric"));
  c.comparison = read_comparison(r);
  const json& value = r.required("value");
  if (value.is_string() && value.get<std::string>() == "target") {
    c.use_target = true;
  } else {
    c.threshold = read_metric_value(p.metrics[static_cast<std::size_t>(c.metric_index())], value,
                                    r.path_of("value"));
  }
  return c;
}

Completion read_completion(const json& j, const std::string& path, const Policy& p) {
  ObjectReader r(j, path);
  Completion c;
  const json& tasks = r.array("tasks");
  if (tasks.empty()) fail_at(r.path_of("tasks"), "list at least one task");
  bool all_ok = true;
  for (std::size_t i = 0; i < tasks.size(); ++i)
    all_ok = guarded([&] {
               ObjectReader tr(tasks[i], path_index(r.path_of("tasks"), i));
               c.tasks.push_back(read_condition(tr, p));
               tr.done();
             }) &&
             all_ok;
  end_elements(all_ok);
  c.source = optional_text(r, "source");
  r.done();
  return c;
}

std::vector<Milestone> read_milestones(const json& arr, const std::string& path, const Policy& p) {
  std::vector<Milestone> out;
  UniqueIds ids("milestone");
  bool all_ok = true;
  for (std::size_t i = 0; i < arr.size(); ++i)
    all_ok = guarded([&] {
               ObjectReader r(arr[i], path_index(path, i));
               Milestone m;
               m.id = r.string("id");
               ids.add(m.id, r.path_of("id"));
               m.name = r.string("name");
               m.condition = read_condition(r, p);
               m.due = read_date_spec(r, "due", p.campaign.year);
               if (const json* scope = r.optional("scope")) {
                 m.scope = read_scope(*scope, r.path_of("scope"), p);
               } else {
                 m.scope = read_scope(json("all"), r.path_of("scope"), p);
               }
               m.source = optional_text(r, "source");
               if (auto seg = r.optional_string("segment")) {
                 if (segment_index(p.campaign, *seg) < 0) {
                   fail_at(r.path_of("segment"),
                           "no segment " + in_quotes(*seg) + " in campaign.segments");
                 }
                 if (m.condition.use_target) {
                   fail_at(r.path_of("value"),
                           "a segment's milestone needs a number: targets are set for "
                           "a unit's whole figures, not for one segment");
                 }
                 m.segment = *seg;
               }
               r.done();
               if (m.condition.use_target) {
                 require_targets(p, m.condition.metric_index(), m.scope.unit_indices(),
                                 r.path_of("value"), "but the milestone applies to it");
               }
               out.push_back(std::move(m));
             }) &&
             all_ok;
  end_elements(all_ok);
  return out;
}

// ---------------------------------------------------------------- work fund

WorkFund read_work_fund(const json& j, const std::string& path, const Policy& p) {
  ObjectReader r(j, path);
  WorkFund w;
  const int year = p.campaign.year;
  const json& tiers = r.array("tiers");
  if (tiers.empty()) fail_at(r.path_of("tiers"), "list at least one tier");
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    ObjectReader tr(tiers[i], path_index(r.path_of("tiers"), i));
    WorkFundTier t;
    t.deadline = read_date_spec(tr, "deadline", year);
    t.per_person = tr.fen("per_person_fen", 0);
    tr.done();
    if (i > 0 && t.deadline.date <= w.tiers.back().deadline.date) {
      fail_at(tr.path_of("deadline"), "must be after tiers[" + std::to_string(i - 1) +
                                          "].deadline " + w.tiers.back().deadline.date.iso());
    }
    w.tiers.push_back(std::move(t));
  }
  w.paid_units = read_scope(r.required("paid_units"), r.path_of("paid_units"), p);
  {
    ObjectReader br(r.object("basis"), r.path_of("basis"));
    w.basis_metric = br.string("metric");
    ModelAccess::basis_metric_index(w) =
        count_metric_ref(p.metrics, w.basis_metric, br.path_of("metric"));
    const json& as_of = br.required("as_of");
    if (as_of.is_string() && as_of.get<std::string>() == "completion_date") {
      w.basis_as_of = WorkFund::BasisAsOf::completion_date;
    } else {
      w.basis_as_of = WorkFund::BasisAsOf::fixed_date;
      w.basis_date = read_date_spec(as_of, br.path_of("as_of"), year);
    }
    br.done();
  }
  {
    // 000's sentence on late villages is cut off: the rule must be explicit.
    ObjectReader lr(r.object("late"), r.path_of("late"));
    const std::string rule = lr.string("rule");
    if (rule == "zero") {
      w.late.kind = LateRule::Kind::zero;
    } else if (rule == "per_person") {
      w.late.kind = LateRule::Kind::per_person;
      w.late.per_person = lr.fen("per_person_fen", 0);
    } else {
      fail_at(lr.path_of("rule"), "expected \"zero\" or \"per_person\", got " + in_quotes(rule));
    }
    w.late.note = optional_text(lr, "note");
    lr.done();
  }
  w.payer = optional_text(r, "payer");
  w.source = optional_text(r, "source");
  r.done();
  if (!p.completion) {
    fail_at(path, "needs a \"completion\" section: tiers pay units by the day they complete");
  }
  return w;
}

}  // namespace canbao::detail
