// Units: the campaign hierarchy (市 -> 镇/街道 -> 村/社区) and their targets.
// A target may be given on a unit, or allocated from a parent's target over
// its children in proportion to a base (largest remainder, see allocation.hpp).
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <canbao/ratio.hpp>

namespace canbao {

namespace detail {
struct ModelAccess;  // the loader's one way to set computed fields (src/detail/model_access.hpp)
struct UnitPlaces;   // where each unit was written (src/detail/unit_places.hpp)
}  // namespace detail

// implied: a count target on a unit whose children all have one, their sum
// (made at load; never written back by to_json).
enum class TargetOrigin { given, allocated, implied };

struct Target {
  std::string metric;
  Ratio value;  // counts are whole numbers; averages/rates may be fractions ("90%")
  TargetOrigin origin = TargetOrigin::given;

  // Resolved at load (read-only: set only by the policy readers).
  int metric_index() const { return metric_index_; }

 private:
  friend struct detail::ModelAccess;
  int metric_index_ = -1;
};

// On a parent: split its target for `metric` over its children in proportion
// to each child's `bases[base]`, every child getting at least `minimum`.
struct Allocation {
  std::string metric;
  std::string base;
  std::int64_t minimum = 0;
};

struct Unit {
  std::string id;
  std::string name;
  std::string level;   // "city", "town", "village", ... (free text, used by scopes)
  std::string parent;  // empty for a root
  std::vector<std::pair<std::string, std::int64_t>>
      bases;                            // allocation bases, e.g. unenrolled found
  std::vector<Target> targets;          // given and allocated, in metric order
  std::vector<Allocation> allocations;  // on parents
  std::string source;                   // citation of the targets, e.g. "001 三"

  // Resolved at load (read-only: set only by the policy readers).
  int parent_index() const { return parent_index_; }
  const std::vector<int>& children() const { return children_; }  // indices, in policy order
  int depth() const { return depth_; }                            // 0 for roots

  const Target* target(int metric_index) const {
    for (const auto& t : targets) {
      if (t.metric_index() == metric_index) return &t;
    }
    return nullptr;
  }
  const std::int64_t* base(const std::string& name) const {
    for (const auto& b : bases) {
      if (b.first == name) return &b.second;
    }
    return nullptr;
  }

 private:
  friend struct detail::ModelAccess;
  int parent_index_ = -1;
  std::vector<int> children_;
  int depth_ = 0;
};

// Units in policy order; parents are validated to exist and the tree to be
// acyclic. `order` lists unit indices parents-before-children (for rollups,
// walk it backwards).
struct CANBAO_API UnitTree {
  std::vector<Unit> units;

  // Resolved at load (read-only: set only by the policy readers).
  const std::vector<int>& roots() const { return roots_; }
  const std::vector<int>& order() const { return order_; }

  // The index of the unit with this id (the first, if ids repeat in a policy
  // that failed its check), or -1. Resolved at load, for the units as loaded.
  int find(std::string_view id) const;

  // The unit table the units were read from (docs/units-table.md), as the
  // policy names it; empty for inline units. Not part of the canonical JSON,
  // which always writes the units inline (the same fingerprint either way).
  const std::string& table() const { return table_; }

 private:
  friend struct detail::ModelAccess;
  std::vector<int> roots_;
  std::vector<int> order_;
  // find()'s index (src/unit_index.cpp): open addressing, a slot is a 32-bit
  // hash of the id over the unit's index + 1 (0: empty), and the key is the
  // unit's own id, so no id is stored twice (issue 15: 700,000 units).
  std::vector<std::uint64_t> index_;
  std::size_t indexed_ = 0;
  std::string table_;
  std::shared_ptr<const detail::UnitPlaces> places_;  // a table's lines and columns
};

}  // namespace canbao
