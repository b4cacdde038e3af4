// Evaluation scoring and ranking (考核, 赛马比拼, 评先评优).
// Scores are exact integers of micro-points (1 point = 1'000'000) so ranking
// never depends on floating point.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <canbao/calendar.hpp>
#include <canbao/milestone.hpp>
#include <canbao/ratio.hpp>

namespace canbao {

namespace detail {
struct ModelAccess;  // the loader's one way to set computed fields (src/detail/model_access.hpp)
}

inline constexpr std::int64_t micro_points_per_point = 1'000'000;

// weight x min(value / target, cap): a completion ratio (004: 扩面计划完成率).
struct Indicator {
  std::string id;
  std::string name;
  std::string metric;
  Ratio weight;  // points for a ratio of 1
  Ratio cap;     // e.g. "120%": completion above this earns nothing more

  // Resolved at load (read-only: set only by the policy readers).
  int metric_index() const { return metric_index_; }

 private:
  friend struct detail::ModelAccess;
  int metric_index_ = -1;
};

// Bonus points when the unit's completion date is on or before `by`
// (the best matching bonus counts once).
struct TimelinessBonus {
  DateSpec by;
  Ratio points;
};

// Points off per unit of a count metric (e.g. falsification cases found,
// 001: 严防形式主义、弄虚作假), at most `max_points`.
struct Deduction {
  std::string id;
  std::string metric;
  Ratio points_per_count;
  Ratio max_points;
  std::string source;

  // Resolved at load (read-only: set only by the policy readers).
  int metric_index() const { return metric_index_; }

 private:
  friend struct detail::ModelAccess;
  int metric_index_ = -1;
};

// Highest band whose min_score the unit reaches (bands sorted by min_score, descending).
struct GradeBand {
  std::string grade;  // "commend" (通报表扬), "pass", "criticise" (通报批评)
  std::string name;   // display name
  Ratio min_score;
};

enum class TieBreaker { earlier_completion, higher_first_indicator, unit_order };
CANBAO_API const char* tie_breaker_name(TieBreaker t);

struct Scoring {
  Scope ranked_units;
  std::vector<Indicator> indicators;
  std::vector<TimelinessBonus> timeliness;
  std::vector<Deduction> deductions;
  std::vector<GradeBand> grades;
  // 003: 对未完成目标任务的部门和单位...不能评先、评优 -> a unit that missed a
  // target it has is not eligible for awards, whatever its score.
  bool awards_require_targets_met = true;
  // The best grade such a unit may get ("pass" or "criticise"): a higher band
  // its score reaches is lowered to it. Empty = the highest band that is not
  // "commend" (commendation is an award). 003: "criticise" (未完成目标任务).
  std::string best_grade_when_targets_missed;
  std::vector<TieBreaker> tie_breakers;  // applied in order; still equal -> same rank
  std::string source;
};

}  // namespace canbao
