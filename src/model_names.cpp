// Names of model enums as written in policy JSON.
#include <canbao/metric.hpp>
#include <canbao/scoring.hpp>

namespace canbao {

const char* metric_kind_name(MetricKind kind) {
  switch (kind) {
    case MetricKind::count:
      return "count";
    case MetricKind::average:
      return "average";
    case MetricKind::rate:
      return "rate";
  }
  return "?";
}

const char* parent_figure_name(ParentFigure f) {
  switch (f) {
    case ParentFigure::either:
      return "either";
    case ParentFigure::own:
      return "own";
    case ParentFigure::children:
      return "children";
  }
  return "?";
}

const char* tie_breaker_name(TieBreaker t) {
  switch (t) {
    case TieBreaker::earlier_completion:
      return "earlier_completion";
    case TieBreaker::higher_first_indicator:
      return "higher_first_indicator";
    case TieBreaker::unit_order:
      return "unit_order";
  }
  return "?";
}

}  // namespace canbao
