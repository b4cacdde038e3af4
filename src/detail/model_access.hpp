// The one way to set the model's computed fields (the fingerprint and the
// indices resolved at load). They are read-only in the public headers so a
// caller cannot make them disagree with the data; only the policy readers
// (and benchmarks that build a model by hand) include this header and write them.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <canbao/policy.hpp>

#include "unit_index.hpp"

namespace canbao::detail {

struct ModelAccess {
  static void set_fingerprint(Policy& p, std::string fingerprint) {
    p.fingerprint_ = std::move(fingerprint);
  }

  // Resolved indices, by reference so a reader can fill them in place.
  static int& metric_index(Target& t) { return t.metric_index_; }
  static int& metric_index(Condition& c) { return c.metric_index_; }
  static int& metric_index(Indicator& i) { return i.metric_index_; }
  static int& metric_index(Deduction& d) { return d.metric_index_; }
  static int& weight_index(Metric& m) { return m.weight_index_; }
  static int& numerator_index(Metric& m) { return m.numerator_index_; }
  static int& denominator_index(Metric& m) { return m.denominator_index_; }
  static int& parent_index(Unit& u) { return u.parent_index_; }
  static std::vector<int>& children(Unit& u) { return u.children_; }
  static int& depth(Unit& u) { return u.depth_; }
  static std::vector<int>& roots(UnitTree& t) { return t.roots_; }
  static std::vector<int>& order(UnitTree& t) { return t.order_; }
  // find()'s index (unit_index.hpp) of units[unit].id, for a unit already in
  // t.units: add_to_index adds `unit` and returns -1, or returns the unit that
  // has the id already; index_first also makes `unit` the one found if it
  // comes earlier (a placeholder for a unit that failed its check).
  static void reserve_index(UnitTree& t, std::size_t units) {
    const std::size_t size = unit_index::slots_for(units);
    if (size > t.index_.size()) unit_index::rehash(t.index_, size);
  }
  static int add_to_index(UnitTree& t, int unit) {
    namespace ui = unit_index;
    if (2 * (t.indexed_ + 1) > t.index_.size()) ui::rehash(t.index_, ui::slots_for(t.indexed_ + 1));
    const std::string& id = t.units[static_cast<std::size_t>(unit)].id;
    const std::uint32_t hash = ui::id_hash(id);
    std::uint64_t& s = t.index_[ui::probe(t.index_, t.units, id, hash)];
    if (s != 0) return ui::slot_unit(s);
    s = ui::make_slot(hash, unit);
    ++t.indexed_;
    return -1;
  }
  static void index_first(UnitTree& t, int unit) {
    namespace ui = unit_index;
    if (add_to_index(t, unit) > unit) {
      const std::string& id = t.units[static_cast<std::size_t>(unit)].id;
      const std::uint32_t hash = ui::id_hash(id);
      t.index_[ui::probe(t.index_, t.units, id, hash)] = ui::make_slot(hash, unit);
    }
  }
  static std::string& table(UnitTree& t) { return t.table_; }
  static std::shared_ptr<const UnitPlaces>& places(UnitTree& t) { return t.places_; }
  static const std::shared_ptr<const UnitPlaces>& places(const UnitTree& t) { return t.places_; }
  static std::vector<int>& unit_indices(Scope& s) { return s.unit_indices_; }
  static int& basis_metric_index(WorkFund& w) { return w.basis_metric_index_; }
  static int& basis_metric_index(Incentive& i) { return i.basis_metric_index_; }

  static Target target(std::string metric, int metric_index, Ratio value, TargetOrigin origin) {
    Target t;
    t.metric = std::move(metric);
    t.metric_index_ = metric_index;
    t.value = value;
    t.origin = origin;
    return t;
  }
};

}  // namespace canbao::detail
