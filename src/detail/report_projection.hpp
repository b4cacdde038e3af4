// The projections as make_report gathers them: with the work fund it has
// already evaluated, so the projection does not evaluate completions and the
// work fund a second time.
#pragma once

#include <optional>

#include <canbao/evaluation.hpp>
#include <canbao/progress.hpp>
#include <canbao/projection.hpp>

namespace canbao::detail {

// project_campaign(progress, as_of, observations), with `work_fund` (nullptr:
// evaluated here) the result of evaluate_work_fund(progress, as_of,
// completion_dates(progress, as_of)).
ProjectionReport project_campaign(const Progress& progress, Date as_of,
                                  std::optional<int> observations, const WorkFundResult* work_fund);

}  // namespace canbao::detail
