// Metrics: what a campaign counts.
// - count: an integer that adds up the hierarchy (参保人数, 转职工人数).
// - average: a per-person figure weighted by a named count when rolled up
//   (001: 人均缴费 330 yuan is an average; the city's is weighted by enrollment,
//   not the sum of the towns').
// - rate: numerator count / denominator count, computed from integers
//   (入库参保率 = enrolled / should-be-enrolled).
#pragma once

#include <canbao/export.hpp>

#include <string>
#include <vector>

namespace canbao {

namespace detail {
struct ModelAccess;  // the loader's one way to set computed fields (src/detail/model_access.hpp)
}

enum class MetricKind { count, average, rate };
CANBAO_API const char* metric_kind_name(MetricKind kind);

// Where a unit with children takes its figure of a count or average metric
// from (rates follow their numerator and denominator):
// - either: its own observations if it has any, else its children rolled up;
//   a unit that has its own AND a descendant that has its own is an input
//   error (which one is right is the policy's choice, never a silent guess);
// - own: its own observations when it has any (they win over its children's,
//   even when older), else its children rolled up;
// - children: always its children rolled up; its own observations are an
//   input error.
enum class ParentFigure { either, own, children };
CANBAO_API const char* parent_figure_name(ParentFigure f);  // "either", "own", "children"

struct Metric {
  std::string id;
  std::string name;  // 城乡居民基本养老保险参保人数
  std::string unit;  // "人", "元", "%" (display only)
  MetricKind kind = MetricKind::count;
  std::string weight;       // average: the count metric it is weighted by
  std::string numerator;    // rate: count metric id
  std::string denominator;  // rate: count metric id
  std::string segment;      // optional population segment (002: "城镇45岁以上居民")
  ParentFigure parent_figure = ParentFigure::either;  // count and average only
  std::string source;

  // Resolved at load (read-only: set only by the policy readers): indices into
  // Policy::metrics, -1 when not applicable.
  int weight_index() const { return weight_index_; }
  int numerator_index() const { return numerator_index_; }
  int denominator_index() const { return denominator_index_; }

 private:
  friend struct detail::ModelAccess;
  int weight_index_ = -1;
  int numerator_index_ = -1;
  int denominator_index_ = -1;
};

}  // namespace canbao
