// Conditions, completion tasks and dated milestones.
// 000: "6月底...入库参保率达到90%以上、7月底参保缴费率达到60%以上" -> milestones
// (metric, comparison, threshold, due date, scope).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <canbao/calendar.hpp>
#include <canbao/ratio.hpp>

namespace canbao {

namespace detail {
struct ModelAccess;  // the loader's one way to set computed fields (src/detail/model_access.hpp)
}

// "metric op threshold". When `use_target` is set the threshold is the unit's
// own target for the metric (a unit without one fails validation at load if
// the condition applies to it).
struct Condition {
  std::string metric;
  Comparison comparison = Comparison::ge;
  bool use_target = false;
  Ratio threshold;  // when !use_target

  // Resolved at load (read-only: set only by the policy readers).
  int metric_index() const { return metric_index_; }

 private:
  friend struct detail::ModelAccess;
  int metric_index_ = -1;
};

// Which units something applies to.
struct Scope {
  enum class Kind { all, units, level };
  Kind kind = Kind::all;
  std::vector<std::string> unit_ids;  // Kind::units
  std::string level;                  // Kind::level ("village")

  // Resolved at load (read-only: set only by the policy readers): the units it
  // applies to.
  const std::vector<int>& unit_indices() const { return unit_indices_; }

 private:
  friend struct detail::ModelAccess;
  std::vector<int> unit_indices_;
};

// What "complete" means for a unit: every task holds (000: 完成城乡居民养老保险
// 参保及征缴任务 -> enrollment >= target and collection >= target).
struct Completion {
  std::vector<Condition> tasks;
  std::string source;
};

struct Milestone {
  std::string id;
  std::string name;
  Condition condition;
  DateSpec due;  // inclusive
  Scope scope;
  std::string source;
  // A segment id (Campaign::segments): the condition is checked on the
  // progress rows of that segment only (003: each sector wave). Empty: the
  // unit's whole figures.
  std::string segment{};
};

}  // namespace canbao
