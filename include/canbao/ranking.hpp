// Scoring and ranking (考核, 赛马比拼, 评先评优) per include/canbao/scoring.hpp.
//
// Every score is an exact integer of micro-points (1 point = 1'000'000):
// - indicator = weight x min(value / target, cap), computed exactly as a
//   fraction and rounded toward zero once, at the end of each indicator;
// - timeliness bonus: the best bonus whose `by` is on or after the completion
//   date (rounded toward zero);
// - deduction = min(points_per_count x count, max_points) (rounded toward zero);
// - total = indicators + bonus - deductions.
// Ranking is competition ranking (1, 2, 2, 4): the policy's tie-breakers apply
// in order; units still equal share a rank. The listing is by rank, then
// policy order.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <canbao/evaluation.hpp>
#include <canbao/scoring.hpp>

namespace canbao {

struct IndicatorScore {
  int indicator = -1;  // index into Scoring::indicators
  std::string indicator_id;
  std::optional<Ratio> value;  // the unit's value as of as_of; nothing when undefined (scores 0)
  Ratio target;
  std::optional<Ratio> completion;  // value / target before the cap
  std::int64_t micro_points = 0;
};

struct DeductionScore {
  int deduction = -1;  // index into Scoring::deductions
  std::string deduction_id;
  std::int64_t count = 0;
  std::int64_t micro_points = 0;  // positive: subtracted from the total
};

struct MissedTarget {
  int metric = -1;
  std::string metric_id;
  std::optional<Ratio> value;  // nothing when undefined
  Ratio target;
};

struct UnitScore {
  int unit = -1;
  std::string unit_id;
  std::optional<Date> completed_on;
  std::vector<IndicatorScore> indicators;
  int timeliness = -1;  // index into Scoring::timeliness of the bonus earned, -1 for none
  std::int64_t bonus_micro_points = 0;
  std::vector<DeductionScore> deductions;
  std::int64_t total_micro_points = 0;
  // GradeBand::grade of the unit: the highest band its total reaches, except
  // that a unit not eligible for awards (003 三(三)) gets at most
  // Scoring::best_grade_when_targets_missed, by default the highest band that
  // is not "commend" (never commended). Empty when no band is reached.
  std::string grade;
  // The band the total alone reaches; differs from `grade` only when an award
  // was withheld because a target was missed (reports say why).
  std::string grade_by_score;
  std::vector<MissedTarget> missed_targets;  // targets not met as of as_of
  bool eligible_for_awards = true;           // 003: false when a target was missed
  int rank = 0;                              // 1-based competition rank
};

struct Ranking {
  Date as_of;
  std::vector<UnitScore> units;  // listing order: rank, then policy order
};

// Scores every unit in scoring.ranked_units and ranks them. `completions` is
// completion_dates(progress, as_of). ArgumentError when the policy has no
// scoring; PolicyError when a ranked unit has no (or a zero) target for an
// indicator's metric.
CANBAO_API Ranking score_and_rank(const Progress& progress, Date as_of,
                       const std::vector<UnitCompletion>& completions);

// Assigns ranks to scored units (any order) and sorts them into listing order.
// Exposed so callers can rank scores they computed or adjusted themselves.
CANBAO_API void rank_units(std::vector<UnitScore>& units, const std::vector<TieBreaker>& tie_breakers);

// "92.5", "85": micro-points as points with up to 6 decimals, trimmed.
CANBAO_API std::string points_string(std::int64_t micro_points);

}  // namespace canbao
