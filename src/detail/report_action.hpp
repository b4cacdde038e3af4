// The builder of CampaignReport::action (report_action.hpp), called by
// make_report once the other parts are gathered.
#pragma once

#include <canbao/progress.hpp>
#include <canbao/report.hpp>

namespace canbao::detail {

// From the report's completions, milestones, work fund and projections and
// the policy's targets and dates. OverflowError (naming the unit's target)
// when an exact figure does not fit 64 bits.
ActionReport make_action(const Progress& progress, const CampaignReport& report);

}  // namespace canbao::detail
