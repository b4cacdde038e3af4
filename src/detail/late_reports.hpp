// The late reports as make_report keeps them.
#pragma once

#include <cstdint>
#include <vector>

#include <canbao/late_reports.hpp>
#include <canbao/progress.hpp>

namespace canbao::detail {

// check_reporting's late and missing checks, in its order, with the others
// counted into `unknown` when they do not say when they came in; the on-time
// ones are never held (a national campaign has a check per unit and month).
std::vector<ReportingCheck> late_reports(const Progress& progress, Date as_of,
                                         std::int64_t& unknown);

}  // namespace canbao::detail
