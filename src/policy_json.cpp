// Policy JSON: strict loading (every key read through ObjectReader, every
// reference resolved, every rule checked) into a fresh Policy that is returned
// only when everything passed; and the canonical writer used for round trips
// and the fingerprint. See docs/policy-format.md.
// Over 600 lines: one reader per policy section plus the canonical writer;
// splitting it into section readers, unit-tree building and the writer is
// issue 10 item 4.
#include <canbao/policy.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <canbao/allocation.hpp>
#include <canbao/error.hpp>

#include "detail/json_reader.hpp"
#include "detail/recommendation_json.hpp"
#include "detail/sha256.hpp"

namespace canbao {

namespace {

using detail::fail_at;
using detail::json;
using detail::ObjectReader;
using detail::path_index;
using detail::path_key;
using detail::read_ratio;
using detail::read_string;

constexpr const char* schema_id = "canbao.policy/1";

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

// Remembers the first path of each id in a list and rejects repeats.
class UniqueIds {
 public:
  explicit UniqueIds(std::string what) : what_(std::move(what)) {}
  void add(const std::string& id, const std::string& path) {
    auto [it, inserted] = seen_.emplace(id, path);
    if (!inserted)
      fail_at(path, "duplicate " + what_ + " id " + in_quotes(id) + " (also " + it->second + ")");
  }

 private:
  std::string what_;
  std::map<std::string, std::string> seen_;
};

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

// ---------------------------------------------------------------- campaign

ReportingCadence read_reporting(const json& j, const std::string& path, int year) {
  ObjectReader r(j, path);
  const std::string every = r.string("every");
  if (every != "month") fail_at(r.path_of("every"), "expected \"month\", got " + in_quotes(every));
  ReportingCadence c;
  c.first_month = static_cast<int>(r.integer("from_month", 1, 12));
  c.last_month = static_cast<int>(r.integer("to_month", c.first_month, 12));
  c.due_day = static_cast<int>(r.integer("due_day", 1, 31));
  for (int m = c.first_month; m <= c.last_month; ++m) {
    if (!Date::from_ymd(year, m, c.due_day)) {
      fail_at(r.path_of("due_day"), "day " + std::to_string(c.due_day) + " does not exist in " +
                                        std::to_string(year) + "-" + (m < 10 ? "0" : "") +
                                        std::to_string(m));
    }
  }
  c.source = optional_text(r, "source");
  r.done();
  return c;
}

Campaign read_campaign(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  Campaign c;
  c.id = r.string("id");
  c.title = r.string("title");
  c.year = static_cast<int>(r.integer("year", 1900, 2200));
  const json& phases = r.array("phases");
  if (phases.empty()) fail_at(r.path_of("phases"), "a campaign needs at least one phase");
  UniqueIds ids("phase");
  for (std::size_t i = 0; i < phases.size(); ++i) {
    ObjectReader pr(phases[i], path_index(r.path_of("phases"), i));
    Phase p;
    p.id = pr.string("id");
    ids.add(p.id, pr.path_of("id"));
    p.name = pr.string("name");
    p.start = read_date_spec(pr, "start", c.year);
    p.end = read_date_spec(pr, "end", c.year);
    if (p.end.date < p.start.date) {
      fail_at(pr.path_of("end"), p.end.date.iso() + " is before the start " + p.start.date.iso());
    }
    p.source = optional_text(pr, "source");
    p.note = optional_text(pr, "note");
    pr.done();
    c.phases.push_back(std::move(p));
  }
  if (const json* rep = r.optional_object("reporting")) {
    c.reporting = read_reporting(*rep, r.path_of("reporting"), c.year);
  }
  c.source = optional_text(r, "source");
  r.done();
  return c;
}

// ---------------------------------------------------------------- metrics

MetricKind read_metric_kind(ObjectReader& r) {
  const std::string kind = r.string("kind");
  for (MetricKind k : {MetricKind::count, MetricKind::average, MetricKind::rate}) {
    if (kind == metric_kind_name(k)) return k;
  }
  fail_at(r.path_of("kind"), "expected \"count\", \"average\" or \"rate\", got " + in_quotes(kind));
}

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
  fail_at(path, "no metric " + in_quotes(id));
}

std::vector<Metric> read_metrics(const json& arr, const std::string& path) {
  if (arr.empty()) fail_at(path, "a policy needs at least one metric");
  std::vector<Metric> metrics;
  UniqueIds ids("metric");
  for (std::size_t i = 0; i < arr.size(); ++i) {
    ObjectReader r(arr[i], path_index(path, i));
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
    metrics.push_back(std::move(m));
  }
  // References may point forwards: resolve once every metric is known.
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    Metric& m = metrics[i];
    const std::string at = path_index(path, i);
    if (m.kind == MetricKind::average) {
      m.weight_index = count_metric_ref(metrics, m.weight, path_key(at, "weight"));
    } else if (m.kind == MetricKind::rate) {
      m.numerator_index = count_metric_ref(metrics, m.numerator, path_key(at, "numerator"));
      m.denominator_index = count_metric_ref(metrics, m.denominator, path_key(at, "denominator"));
      if (m.numerator_index == m.denominator_index) {
        fail_at(path_key(at, "denominator"), "is the same metric as the numerator");
      }
    }
  }
  return metrics;
}

int metric_ref(const Policy& p, const std::string& id, const std::string& path) {
  const int i = p.metric_index(id);
  if (i < 0) {
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

// ---------------------------------------------------------------- units

void read_unit_fields(const json& j, const std::string& path, const Policy& p, Unit& u) {
  ObjectReader r(j, path);
  u.id = r.string("id");
  u.name = r.string("name");
  u.level = r.string("level");
  u.parent = optional_text(r, "parent");
  if (const json* targets = r.optional_object("targets")) {
    for (auto it = targets->begin(); it != targets->end(); ++it) {
      const std::string at = path_key(r.path_of("targets"), it.key());
      const int mi = metric_ref(p, it.key(), at);
      u.targets.push_back(Target{it.key(), mi, read_metric_value(p.metrics[mi], it.value(), at),
                                 TargetOrigin::given});
    }
  }
  if (const json* bases = r.optional_object("bases")) {
    for (auto it = bases->begin(); it != bases->end(); ++it) {
      const std::string at = path_key(r.path_of("bases"), it.key());
      u.bases.emplace_back(it.key(), detail::read_integer(it.value(), at, 0, INT64_MAX));
    }
  }
  if (const json* alloc = r.optional_array("allocate")) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < alloc->size(); ++i) {
      ObjectReader ar((*alloc)[i], path_index(r.path_of("allocate"), i));
      Allocation a;
      a.metric = ar.string("metric");
      const int mi = metric_ref(p, a.metric, ar.path_of("metric"));
      if (p.metrics[mi].kind != MetricKind::count) {
        fail_at(ar.path_of("metric"), "only count targets are allocated; " + in_quotes(a.metric) +
                                          " is " + metric_kind_name(p.metrics[mi].kind));
      }
      if (!seen.insert(a.metric).second) {
        fail_at(ar.path_of("metric"), in_quotes(a.metric) + " is allocated twice");
      }
      a.base = ar.string("base");
      a.minimum = ar.optional_integer("minimum", 0, INT64_MAX).value_or(0);
      ar.done();
      u.allocations.push_back(std::move(a));
    }
  }
  u.source = optional_text(r, "source");
  r.done();
}

// Links parents, rejects cycles, and orders units parents-before-children.
// Linear in the number of units and iterative, so a 100,000-unit chain neither
// takes quadratic time nor overflows the stack.
void build_tree(UnitTree& tree, const std::string& path) {
  auto& units = tree.units;
  for (std::size_t i = 0; i < units.size(); ++i) {
    Unit& u = units[i];
    if (u.parent.empty()) continue;
    const int parent = tree.find(u.parent);
    if (parent < 0) {
      fail_at(path_key(path_index(path, i), "parent"), "no unit " + in_quotes(u.parent));
    }
    u.parent_index = parent;
  }
  // Walk up from each unit not yet known to reach a root; every unit is walked
  // at most once (0 = unseen, 1 = on the current walk, 2 = reaches a root).
  std::vector<std::uint8_t> state(units.size(), 0);
  std::vector<int> walk;
  for (std::size_t i = 0; i < units.size(); ++i) {
    walk.clear();
    int cur = static_cast<int>(i);
    while (cur >= 0 && state[static_cast<std::size_t>(cur)] == 0) {
      state[static_cast<std::size_t>(cur)] = 1;
      walk.push_back(cur);
      cur = units[static_cast<std::size_t>(cur)].parent_index;
    }
    if (cur >= 0 && state[static_cast<std::size_t>(cur)] == 1) {
      // `cur` is on this walk: the cycle is cur -> ... -> cur. Name at most a
      // few of its units so a long cycle does not make a long message.
      // Name the cycle from its first unit in policy order.
      walk.erase(walk.begin(), std::find(walk.begin(), walk.end(), cur));
      std::rotate(walk.begin(), std::min_element(walk.begin(), walk.end()), walk.end());
      const std::size_t at = static_cast<std::size_t>(walk.front());
      const auto first = walk.begin();
      std::string chain;
      std::size_t shown = 0;
      for (auto w = first; w != walk.end(); ++w, ++shown) {
        if (shown == 8 && walk.end() - w > 1) {
          chain += " -> ...";
          w = walk.end() - 1;
        }
        chain += (chain.empty() ? "" : " -> ") + units[static_cast<std::size_t>(*w)].id;
      }
      chain += " -> " + units[at].id;
      fail_at(path_key(path_index(path, at), "parent"),
              "unit " + in_quotes(units[at].id) + " is its own ancestor (" + chain + ")");
    }
    for (int w : walk) state[static_cast<std::size_t>(w)] = 2;
  }
  for (std::size_t i = 0; i < units.size(); ++i) {
    const int parent = units[i].parent_index;
    if (parent < 0) {
      tree.roots.push_back(static_cast<int>(i));
    } else {
      units[static_cast<std::size_t>(parent)].children.push_back(static_cast<int>(i));
    }
  }
  // Depth-first, children in policy order.
  std::vector<int> stack(tree.roots.rbegin(), tree.roots.rend());
  while (!stack.empty()) {
    const int u = stack.back();
    stack.pop_back();
    tree.order.push_back(u);
    Unit& unit = units[static_cast<std::size_t>(u)];
    if (unit.parent_index >= 0)
      unit.depth = units[static_cast<std::size_t>(unit.parent_index)].depth + 1;
    for (auto it = unit.children.rbegin(); it != unit.children.rend(); ++it) stack.push_back(*it);
  }
}

// Splits each allocating parent's target over its children, top-down so that
// an allocated target can itself be allocated further (city -> town -> village).
void run_allocations(UnitTree& tree, const std::vector<Metric>& metrics, const std::string& path) {
  for (int u : tree.order) {
    const std::size_t ui = static_cast<std::size_t>(u);
    for (std::size_t ai = 0; ai < tree.units[ui].allocations.size(); ++ai) {
      const Unit& parent = tree.units[ui];
      const Allocation& a = parent.allocations[ai];
      const std::string at = path_index(path_key(path_index(path, ui), "allocate"), ai);
      const int mi = [&] {
        for (std::size_t m = 0; m < metrics.size(); ++m) {
          if (metrics[m].id == a.metric) return static_cast<int>(m);
        }
        return -1;
      }();
      const Target* total = parent.target(mi);
      if (!total) {
        fail_at(path_key(at, "metric"), "unit " + in_quotes(parent.id) + " has no target for " +
                                            in_quotes(a.metric) + " to allocate");
      }
      if (parent.children.empty()) {
        fail_at(at, "unit " + in_quotes(parent.id) + " has no children to allocate over");
      }
      std::vector<std::int64_t> bases, minimums;
      for (int c : parent.children) {
        const Unit& child = tree.units[static_cast<std::size_t>(c)];
        const std::string child_path = path_index(path, static_cast<std::size_t>(c));
        if (child.target(mi)) {
          fail_at(path_key(path_key(child_path, "targets"), a.metric),
                  "unit " + in_quotes(child.id) + " gives a target that its parent " +
                      in_quotes(parent.id) + " allocates (" + at + ")");
        }
        const std::int64_t* base = child.base(a.base);
        if (!base) {
          fail_at(path_key(child_path, "bases"),
                  "missing " + in_quotes(a.base) + ", needed by " + at);
        }
        bases.push_back(*base);
        minimums.push_back(a.minimum);
      }
      std::vector<std::int64_t> shares;
      try {
        shares = allocate_largest_remainder(total->value.num, bases, minimums);
      } catch (const ArgumentError& e) {
        fail_at(at, "cannot allocate " + total->value.decimal_string() + " of " +
                        in_quotes(a.metric) + " by " + in_quotes(a.base) + ": " + e.where() + " " +
                        e.message());
      }
      const std::vector<int> children = parent.children;
      for (std::size_t k = 0; k < children.size(); ++k) {
        tree.units[static_cast<std::size_t>(children[k])].targets.push_back(
            Target{a.metric, mi, Ratio(shares[k]), TargetOrigin::allocated});
      }
    }
  }
  for (auto& u : tree.units) {
    std::stable_sort(u.targets.begin(), u.targets.end(), [](const Target& x, const Target& y) {
      return x.metric_index < y.metric_index;
    });
  }
}

// A count target adds up: a unit with children that has no target of its own
// for a count metric, while every child has one (given, allocated or itself
// implied), gets the sum of its children's as an implied target (001: the
// city's 106,800 enrollments are the six towns' targets). Stored in the model,
// so completion, milestones, the work fund and scoring all read one rule.
void imply_parent_targets(UnitTree& tree, const std::vector<Metric>& metrics,
                          const std::string& path) {
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    if (metrics[m].kind != MetricKind::count) continue;
    const int mi = static_cast<int>(m);
    for (auto it = tree.order.rbegin(); it != tree.order.rend(); ++it) {
      Unit& u = tree.units[static_cast<std::size_t>(*it)];
      if (u.children.empty() || u.target(mi)) continue;
      std::int64_t sum = 0;
      bool all = true;
      for (int c : u.children) {
        const Target* t = tree.units[static_cast<std::size_t>(c)].target(mi);
        if (!t) {
          all = false;
          break;
        }
        if (__builtin_add_overflow(sum, t->value.num, &sum)) {
          fail_at(path_key(path_index(path, static_cast<std::size_t>(*it)), "targets"),
                  "unit " + in_quotes(u.id) + ": the sum of its children's targets for " +
                      in_quotes(metrics[m].id) + " overflows int64");
        }
      }
      if (!all) continue;
      u.targets.push_back(Target{metrics[m].id, mi, Ratio(sum), TargetOrigin::implied});
      std::stable_sort(u.targets.begin(), u.targets.end(), [](const Target& x, const Target& y) {
        return x.metric_index < y.metric_index;
      });
    }
  }
}

UnitTree read_units(const json& arr, const std::string& path, const Policy& p) {
  if (arr.empty()) fail_at(path, "a policy needs at least one unit");
  UnitTree tree;
  UniqueIds ids("unit");
  for (std::size_t i = 0; i < arr.size(); ++i) {
    Unit u;
    read_unit_fields(arr[i], path_index(path, i), p, u);
    ids.add(u.id, path_key(path_index(path, i), "id"));
    tree.index.emplace(u.id, static_cast<int>(i));
    tree.units.push_back(std::move(u));
  }
  build_tree(tree, path);
  run_allocations(tree, p.metrics, path);
  imply_parent_targets(tree, p.metrics, path);
  return tree;
}

void require_targets(const Policy& p, int metric, const std::vector<int>& units,
                     const std::string& path, const std::string& why) {
  for (int u : units) {
    const Unit& unit = p.units.units[static_cast<std::size_t>(u)];
    if (unit.target(metric)) continue;
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
    for (std::size_t i = 0; i < units.size(); ++i) s.unit_indices.push_back(static_cast<int>(i));
    return s;
  }
  ObjectReader r(j, path);
  if (r.has("level") == r.has("units")) {
    fail_at(path, "a scope is \"all\", {\"level\": ...} or {\"units\": [...]}");
  }
  if (r.has("level")) {
    s.kind = Scope::Kind::level;
    s.level = r.string("level");
    for (std::size_t i = 0; i < units.size(); ++i) {
      if (units[i].level == s.level) s.unit_indices.push_back(static_cast<int>(i));
    }
    if (s.unit_indices.empty())
      fail_at(r.path_of("level"), "no unit has level " + in_quotes(s.level));
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
      s.unit_indices.push_back(u);
    }
  }
  r.done();
  return s;
}

Comparison read_comparison(ObjectReader& r) {
  const std::string op = r.string("op");
  Comparison c;
  if (!parse_comparison(op, &c)) {
    fail_at(r.path_of("op"),
            "expected \">=\", \">\", \"<=\", \"<\" or \"==\", got " + in_quotes(op));
  }
  return c;
}

// Reads metric, op and value (a threshold or "target") from `r`.
Condition read_condition(ObjectReader& r, const Policy& p) {
  Condition c;
  c.metric = r.string("metric");
  c.metric_index = metric_ref(p, c.metric, r.path_of("metric"));
  c.comparison = read_comparison(r);
  const json& value = r.required("value");
  if (value.is_string() && value.get<std::string>() == "target") {
    c.use_target = true;
  } else {
    c.threshold = read_metric_value(p.metrics[static_cast<std::size_t>(c.metric_index)], value,
                                    r.path_of("value"));
  }
  return c;
}

Completion read_completion(const json& j, const std::string& path, const Policy& p) {
  ObjectReader r(j, path);
  Completion c;
  const json& tasks = r.array("tasks");
  if (tasks.empty()) fail_at(r.path_of("tasks"), "list at least one task");
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    ObjectReader tr(tasks[i], path_index(r.path_of("tasks"), i));
    c.tasks.push_back(read_condition(tr, p));
    tr.done();
  }
  c.source = optional_text(r, "source");
  r.done();
  return c;
}

std::vector<Milestone> read_milestones(const json& arr, const std::string& path, const Policy& p) {
  std::vector<Milestone> out;
  UniqueIds ids("milestone");
  for (std::size_t i = 0; i < arr.size(); ++i) {
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
    r.done();
    if (m.condition.use_target) {
      require_targets(p, m.condition.metric_index, m.scope.unit_indices, r.path_of("value"),
                      "but the milestone applies to it");
    }
    out.push_back(std::move(m));
  }
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
    w.basis_metric_index = count_metric_ref(p.metrics, w.basis_metric, br.path_of("metric"));
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

// ---------------------------------------------------------------- scoring

Ratio read_ratio_at_least(ObjectReader& r, const std::string& key, const Ratio& min, bool strict) {
  const Ratio v = r.ratio(key);
  if (strict ? v <= min : v < min) {
    fail_at(r.path_of(key), std::string("must be ") + (strict ? "> " : ">= ") +
                                min.decimal_string() + ", got " + v.decimal_string());
  }
  return v;
}

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
    ind.metric_index = metric_ref(p, ind.metric, ir.path_of("metric"));
    ind.weight = read_ratio_at_least(ir, "weight", Ratio(0), true);
    ind.cap = read_ratio_at_least(ir, "cap", Ratio(0), true);
    ir.done();
    // weight x value / target: every ranked unit needs a target.
    require_targets(p, ind.metric_index, s.ranked_units.unit_indices, ir.path_of("metric"),
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
      d.metric_index = count_metric_ref(p.metrics, d.metric, dr.path_of("metric"));
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

// ---------------------------------------------------------------- the document

std::shared_ptr<Policy> read_policy(const json& doc) {
  auto policy = std::make_shared<Policy>();
  Policy& p = *policy;
  ObjectReader r(doc, "");
  const std::string schema = r.string("schema");
  if (schema != schema_id) {
    fail_at("schema", "expected " + in_quotes(schema_id) + ", got " + in_quotes(schema));
  }
  p.campaign = read_campaign(r.object("campaign"), "campaign");
  p.metrics = read_metrics(r.array("metrics"), "metrics");
  p.units = read_units(r.array("units"), "units", p);
  if (const json* c = r.optional_object("completion"))
    p.completion = read_completion(*c, "completion", p);
  if (const json* m = r.optional_array("milestones"))
    p.milestones = read_milestones(*m, "milestones", p);
  if (const json* w = r.optional_object("work_fund"))
    p.work_fund = read_work_fund(*w, "work_fund", p);
  if (const json* s = r.optional_object("scoring")) p.scoring = read_scoring(*s, "scoring", p);
  if (p.completion) {
    // Completion is evaluated for the units that are paid or ranked (all units
    // when neither section is present): those need the targets it compares to.
    std::set<int> evaluated;
    if (p.work_fund)
      evaluated.insert(p.work_fund->paid_units.unit_indices.begin(),
                       p.work_fund->paid_units.unit_indices.end());
    if (p.scoring)
      evaluated.insert(p.scoring->ranked_units.unit_indices.begin(),
                       p.scoring->ranked_units.unit_indices.end());
    if (!p.work_fund && !p.scoring) {
      for (std::size_t i = 0; i < p.units.units.size(); ++i) evaluated.insert(static_cast<int>(i));
    }
    const std::vector<int> units(evaluated.begin(), evaluated.end());
    for (std::size_t i = 0; i < p.completion->tasks.size(); ++i) {
      const Condition& c = p.completion->tasks[i];
      if (!c.use_target) continue;
      require_targets(p, c.metric_index, units,
                      path_key(path_index("completion.tasks", i), "value"),
                      "but completion is evaluated for it");
    }
  }
  if (const json* rec = r.optional_object("recommendation")) {
    p.recommendation = detail::read_recommendation(*rec, "recommendation", p);
  }
  r.done();
  p.fingerprint = detail::sha256_hex(to_json(p, -1));
  return policy;
}

// ---------------------------------------------------------------- writing

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

json campaign_json(const Campaign& c) {
  json j;
  j["id"] = c.id;
  j["title"] = c.title;
  j["year"] = c.year;
  json phases = json::array();
  for (const auto& p : c.phases) {
    json pj{{"id", p.id}, {"name", p.name}, {"start", p.start.text}, {"end", p.end.text}};
    put_text(pj, "source", p.source);
    put_text(pj, "note", p.note);
    phases.push_back(std::move(pj));
  }
  j["phases"] = std::move(phases);
  if (c.reporting) {
    json rj{{"every", "month"},
            {"from_month", c.reporting->first_month},
            {"to_month", c.reporting->last_month},
            {"due_day", c.reporting->due_day}};
    put_text(rj, "source", c.reporting->source);
    j["reporting"] = std::move(rj);
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

json policy_json(const Policy& p) {
  json j;
  j["schema"] = schema_id;
  j["campaign"] = campaign_json(p.campaign);
  json metrics = json::array();
  for (const auto& m : p.metrics) metrics.push_back(metric_json(m));
  j["metrics"] = std::move(metrics);
  json units = json::array();
  for (const auto& u : p.units.units) units.push_back(unit_json(u));
  j["units"] = std::move(units);
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
      put_text(mj, "source", m.source);
      ms.push_back(std::move(mj));
    }
    j["milestones"] = std::move(ms);
  }
  if (p.work_fund) j["work_fund"] = work_fund_json(*p.work_fund);
  if (p.scoring) j["scoring"] = scoring_json(*p.scoring);
  if (p.recommendation) j["recommendation"] = detail::write_recommendation(*p.recommendation);
  return j;
}

}  // namespace

PolicyPtr load_policy(const std::string& json_text, const std::string& source) {
  return read_policy(detail::parse_json_text(json_text, source));
}

PolicyPtr load_policy_file(const std::string& path) {
  // The open would silently use only the part before a NUL.
  if (path.find('\0') != std::string::npos)
    throw ArgumentError("path", "the path contains a NUL byte");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PolicyError(path, "cannot open the policy file");
  std::ostringstream text;
  text << in.rdbuf();
  return load_policy(text.str(), path);
}

PolicyPtr instantiate_for_year(const Policy& policy, int year) {
  // Reload the canonical JSON with the year replaced: template dates re-resolve
  // and every rule is validated again for that year (a literal 02-29 may not exist).
  json doc = policy_json(policy);
  doc["campaign"]["year"] = year;
  return read_policy(doc);
}

std::string to_json(const Policy& policy, int indent) {
  // nlohmann's object is a std::map: keys come out sorted, so the text is canonical.
  return policy_json(policy).dump(indent);
}

}  // namespace canbao
