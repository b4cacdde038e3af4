// The SVG charts of the HTML report (report_html_charts.cpp). Each returns one
// <svg> element (detail/svg.hpp) drawn from the report's figures only: the
// charts add no rule. Every bar is a <rect class="bar ..."> inside a
// <g class="row" data-unit="ID"> (or data-tier), so a reader (and the browser
// test) can count and match them.
#pragma once

#include <string>

#include <canbao/policy.hpp>
#include <canbao/report.hpp>

namespace canbao::detail {

// (a) One milestone: a bar per unit in scope of the value on the due date (on
// the as-of day when earlier), with the threshold line. A condition on the
// unit's own target is drawn as a share of that target (threshold 100%).
std::string milestone_chart(const MilestoneReport& mr, const Policy& p);

// (b) Each evaluated unit's completion date on a time line with the work-fund
// tier deadlines and the as-of day; a unit not complete is a bar up to as-of.
std::string completion_timeline(const CampaignReport& r, const Policy& p);

// (c) The work fund paid per tier (and under the late rule), in yuan.
std::string work_fund_chart(const WorkFundResult& wf, const WorkFund& rules);

// (d) Each ranked unit's score in listing order, with a line at each grade's
// minimum score; the bar's colour is its grade, marked "(暂定)" when provisional.
std::string ranking_chart(const Ranking& ranking, const Scoring& s, const Policy& p,
                          bool provisional);

}  // namespace canbao::detail
