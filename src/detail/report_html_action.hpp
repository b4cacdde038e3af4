// The action part of the HTML report (report_html_action.cpp): the summary
// right under the header and the action list, from CampaignReport::action
// (report_action.hpp), in the words of the text report.
#pragma once

#include <iosfwd>
#include <string>

#include <canbao/policy.hpp>
#include <canbao/report.hpp>

namespace canbao::detail {

// "摘要 [summary]": units by standing (with a bar of them), money paid and
// still possible, the next milestone and report, provisional or final.
void write_summary_html(const CampaignReport& r, std::ostream& out);

// The action list (worst first: target, current, shortfall, deadline, needed
// per day) and the work fund still at stake; nothing without action units.
void write_action_html(const CampaignReport& r, const Policy& p, std::ostream& out,
                       const std::string& title);

}  // namespace canbao::detail
