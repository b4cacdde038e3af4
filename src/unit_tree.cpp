// The units section: each unit's fields, the tree (parents before children,
// cycles rejected), allocation of a parent's target over its children, and
// the count targets a parent gets as the sum of its children's.
#include <algorithm>
#include <cstdint>
#include <set>

#include <canbao/allocation.hpp>
#include <canbao/error.hpp>

#include "detail/model_access.hpp"
#include "detail/policy_reader.hpp"
#include "detail/unit_places.hpp"

namespace canbao::detail {

std::vector<Allocation> read_allocations(const json& alloc, const std::string& path,
                                         const Policy& p) {
  std::vector<Allocation> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < alloc.size(); ++i) {
    ObjectReader ar(alloc[i], path_index(path, i));
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
    out.push_back(std::move(a));
  }
  return out;
}

namespace {

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
      u.targets.push_back(ModelAccess::target(
          it.key(), mi, read_metric_value(p.metrics[mi], it.value(), at), TargetOrigin::given));
    }
  }
  if (const json* bases = r.optional_object("bases")) {
    for (auto it = bases->begin(); it != bases->end(); ++it) {
      const std::string at = path_key(r.path_of("bases"), it.key());
      u.bases.emplace_back(it.key(), detail::read_integer(it.value(), at, 0, INT64_MAX));
    }
  }
  if (const json* alloc = r.optional_array("allocate"))
    u.allocations = read_allocations(*alloc, r.path_of("allocate"), p);
  u.source = optional_text(r, "source");
  r.done();
}

// The common unit read without an ObjectReader (issue 15: 700,000 of them):
// id, name, level, parent, source, count targets given as whole numbers and
// bases. Anything else, or anything wrong, returns false, and the caller reads
// the unit again with read_unit_fields, which accepts exactly the same units
// (giving the same Unit) and names the error.
bool read_unit_fast(const json& j, const Policy& p, Unit& u) {
  if (!j.is_object()) return false;
  const auto text = [](const json& v, std::string& out) {
    if (!v.is_string()) return false;
    out = v.get_ref<const std::string&>();
    return !out.empty();
  };
  const auto whole = [](const json& v, std::int64_t& out) {
    if (v.is_number_unsigned()) {
      const auto x = v.get<std::uint64_t>();
      if (x > static_cast<std::uint64_t>(INT64_MAX)) return false;
      out = static_cast<std::int64_t>(x);
      return true;
    }
    if (!v.is_number_integer()) return false;
    out = v.get<std::int64_t>();
    return out >= 0;
  };
  int required = 0;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    if (key == "id" || key == "name" || key == "level") {
      if (!text(v, key == "id" ? u.id : key == "name" ? u.name : u.level)) return false;
      ++required;
    } else if (key == "parent" || key == "source") {
      if (!v.is_null() && !text(v, key == "parent" ? u.parent : u.source)) return false;
    } else if (key == "targets") {
      if (v.is_null()) continue;
      if (!v.is_object()) return false;
      for (auto t = v.begin(); t != v.end(); ++t) {
        const int mi = p.metric_index(t.key());
        std::int64_t n = 0;
        if (mi < 0 || p.metrics[static_cast<std::size_t>(mi)].kind != MetricKind::count ||
            !whole(t.value(), n))
          return false;
        u.targets.push_back(ModelAccess::target(t.key(), mi, Ratio(n), TargetOrigin::given));
      }
    } else if (key == "bases") {
      if (v.is_null()) continue;
      if (!v.is_object()) return false;
      for (auto b = v.begin(); b != v.end(); ++b) {
        std::int64_t n = 0;
        if (!whole(b.value(), n)) return false;
        u.bases.emplace_back(b.key(), n);
      }
    } else {
      return false;  // allocate (rare), or an unknown key: the careful reader
    }
  }
  return required == 3;
}

// Links parents, rejects cycles, and orders units parents-before-children.
// Linear in the number of units and iterative, so a 100,000-unit chain neither
// takes quadratic time nor overflows the stack.
void build_tree(UnitTree& tree, const UnitPlaces& places) {
  auto& units = tree.units;
  for (std::size_t i = 0; i < units.size(); ++i) {
    Unit& u = units[i];
    if (u.parent.empty()) continue;
    const int parent = tree.find(u.parent);
    if (parent < 0) {
      fail_at(places.at(i, "parent"), "no unit " + in_quotes(u.parent));
    }
    ModelAccess::parent_index(u) = parent;
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
      cur = units[static_cast<std::size_t>(cur)].parent_index();
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
      fail_at(places.at(at, "parent"),
              "unit " + in_quotes(units[at].id) + " is its own ancestor (" + chain + ")");
    }
    for (int w : walk) state[static_cast<std::size_t>(w)] = 2;
  }
  for (std::size_t i = 0; i < units.size(); ++i) {
    const int parent = units[i].parent_index();
    if (parent < 0) {
      ModelAccess::roots(tree).push_back(static_cast<int>(i));
    } else {
      ModelAccess::children(units[static_cast<std::size_t>(parent)]).push_back(static_cast<int>(i));
    }
  }
  // Depth-first, children in policy order.
  std::vector<int> stack(tree.roots().rbegin(), tree.roots().rend());
  while (!stack.empty()) {
    const int u = stack.back();
    stack.pop_back();
    ModelAccess::order(tree).push_back(u);
    Unit& unit = units[static_cast<std::size_t>(u)];
    if (unit.parent_index() >= 0)
      ModelAccess::depth(unit) = units[static_cast<std::size_t>(unit.parent_index())].depth() + 1;
    for (auto it = unit.children().rbegin(); it != unit.children().rend(); ++it)
      stack.push_back(*it);
  }
}

// Splits each allocating parent's target over its children, top-down so that
// an allocated target can itself be allocated further (city -> town -> village).
void run_allocations(UnitTree& tree, const std::vector<Metric>& metrics, const UnitPlaces& places) {
  // Checking, after a unit failed: the splits would differ, so none is checked.
  if (any_failed_unit()) return;
  for (int u : tree.order()) {
    const std::size_t ui = static_cast<std::size_t>(u);
    for (std::size_t ai = 0; ai < tree.units[ui].allocations.size(); ++ai) {
      const Unit& parent = tree.units[ui];
      const Allocation& a = parent.allocations[ai];
      const std::string at = places.allocation(ui, parent.id, ai);
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
      if (parent.children().empty()) {
        fail_at(at, "unit " + in_quotes(parent.id) + " has no children to allocate over");
      }
      std::vector<std::int64_t> bases, minimums;
      for (int c : parent.children()) {
        const Unit& child = tree.units[static_cast<std::size_t>(c)];
        const auto ci = static_cast<std::size_t>(c);
        if (child.target(mi)) {
          fail_at(places.at(ci, "targets", a.metric),
                  "unit " + in_quotes(child.id) + " gives a target that its parent " +
                      in_quotes(parent.id) + " allocates (" + at + ")");
        }
        const std::int64_t* base = child.base(a.base);
        if (!base) {
          fail_at(places.at(ci, "bases", a.base),
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
      const std::vector<int> children = parent.children();
      for (std::size_t k = 0; k < children.size(); ++k) {
        tree.units[static_cast<std::size_t>(children[k])].targets.push_back(
            ModelAccess::target(a.metric, mi, Ratio(shares[k]), TargetOrigin::allocated));
      }
    }
  }
  for (auto& u : tree.units) {
    std::stable_sort(u.targets.begin(), u.targets.end(), [](const Target& x, const Target& y) {
      return x.metric_index() < y.metric_index();
    });
  }
}

// A count target adds up: a unit with children that has no target of its own
// for a count metric, while every child has one (given, allocated or itself
// implied), gets the sum of its children's as an implied target (001: the
// city's 106,800 enrollments are the six towns' targets). Stored in the model,
// so completion, milestones, the work fund and scoring all read one rule.
void imply_parent_targets(UnitTree& tree, const std::vector<Metric>& metrics,
                          const UnitPlaces& places) {
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    if (metrics[m].kind != MetricKind::count) continue;
    const int mi = static_cast<int>(m);
    for (auto it = tree.order().rbegin(); it != tree.order().rend(); ++it) {
      Unit& u = tree.units[static_cast<std::size_t>(*it)];
      if (u.children().empty() || u.target(mi)) continue;
      std::int64_t sum = 0;
      bool all = true;
      for (int c : u.children()) {
        const Target* t = tree.units[static_cast<std::size_t>(c)].target(mi);
        if (!t) {
          all = false;
          break;
        }
        if (__builtin_add_overflow(sum, t->value.num, &sum)) {
          fail_at(places.at(static_cast<std::size_t>(*it), "targets"),
                  "unit " + in_quotes(u.id) + ": the sum of its children's targets for " +
                      in_quotes(metrics[m].id) + " overflows int64");
        }
      }
      if (!all) continue;
      u.targets.push_back(
          ModelAccess::target(metrics[m].id, mi, Ratio(sum), TargetOrigin::implied));
      std::stable_sort(u.targets.begin(), u.targets.end(), [](const Target& x, const Target& y) {
        return x.metric_index() < y.metric_index();
      });
    }
  }
}

}  // namespace

UnitTree read_units(const json& arr, const std::string& path, const Policy& p) {
  if (arr.empty()) fail_at(path, "a policy needs at least one unit");
  UnitTree tree;
  tree.units.reserve(arr.size());
  ModelAccess::reserve_index(tree, arr.size());
  std::vector<std::size_t> placeholders;
  // Each unit is checked on its own (policy_check.hpp). One that failed stays
  // as a placeholder, so indices stay JSON indices, and what refers to it (its
  // allocations, targets it would give) is not checked again.
  for (std::size_t i = 0; i < arr.size(); ++i) {
    // Read in place: the index's keys are the units' own ids.
    Unit& u = tree.units.emplace_back();
    const bool ok = guarded([&] {
      if (!read_unit_fast(arr[i], p, u)) {
        u = Unit{};
        read_unit_fields(arr[i], path_index(path, i), p, u);
      }
      // The index holds the units read so far, so it finds a repeated id (its
      // paths are made only then).
      const int first = ModelAccess::add_to_index(tree, static_cast<int>(i));
      if (first >= 0) {
        fail_at(path_key(path_index(path, i), "id"),
                "duplicate unit id " + in_quotes(u.id) + " (also " +
                    path_key(path_index(path, static_cast<std::size_t>(first)), "id") + ")");
      }
    });
    if (!ok) {
      u = Unit{};
      u.id = readable_id(arr[i]);
      u.name = readable_id(arr[i], "name");
      u.level = readable_id(arr[i], "level");
      u.parent = readable_id(arr[i], "parent");
      active_check()->failed_units.insert(u.id);
      placeholders.push_back(i);
    }
  }
  // The index finds each id's first unit, a placeholder too.
  for (std::size_t i : placeholders) ModelAccess::index_first(tree, static_cast<int>(i));
  UnitPlaces places;
  places.path = path;
  finish_units(tree, p, places);
  return tree;
}

void finish_units(UnitTree& tree, const Policy& p, const UnitPlaces& places) {
  if (any_failed_unit()) {
    for (Unit& u : tree.units) {
      if (failed_unit(u.id) && tree.find(u.parent) < 0) u.parent.clear();  // a placeholder's
    }
  }
  build_tree(tree, places);
  run_allocations(tree, p.metrics, places);
  imply_parent_targets(tree, p.metrics, places);
}

}  // namespace canbao::detail
