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

// "metric op threshold". When `use_target` is set the threshold is the unit's
// own target for the metric (a unit without one fails validation at load if
// the condition applies to it).
struct Condition {
  std::string metric;
  int metric_index = -1;
  Comparison comparison = Comparison::ge;
  bool use_target = false;
  Ratio threshold;  // when !use_target
};

// Which units something applies to.
struct Scope {
  enum class Kind { all, units, level };
  Kind kind = Kind::all;
  std::vector<std::string> unit_ids;  // Kind::units
  std::vector<int> unit_indices;      // resolved
  std::string level;                  // Kind::level ("village")
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
};

}  // namespace canbao
