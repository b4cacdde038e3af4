// The campaign commands' sheets for --format xlsx (report, payouts, score):
// one sheet per report section, the same facts as the text and JSON report.
#pragma once

#include <canbao/progress.hpp>
#include <canbao/report.hpp>

#include "campaign_input.hpp"
#include "xlsx_book.hpp"

namespace canbao::cli {

// Every section of the report, in the text report's order.
void add_report_sheets(const CampaignReport& report, const CampaignInput& in,
                       const Progress& progress, XlsxBook& book);
// 工作经费 work fund (write_payouts_csv's columns) and 排名 ranking (write_scores_csv's).
void add_work_fund_sheet(const CampaignReport& report, const CampaignInput& in, XlsxBook& book);
void add_ranking_sheet(const CampaignReport& report, const CampaignInput& in, XlsxBook& book);

}  // namespace canbao::cli
