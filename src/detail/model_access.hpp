// The one way to set the model's computed fields (the fingerprint and the
// indices resolved at load). They are read-only in the public headers so a
// caller cannot make them disagree with the data; only the policy readers
// (and benchmarks that build a model by hand) include this header and write them.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <canbao/policy.hpp>

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
  static std::unordered_map<std::string, int>& index(UnitTree& t) { return t.index_; }
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
