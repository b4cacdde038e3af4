// The campaign commands' sheets for --format xlsx (report, payouts, score):
// one sheet per report section, the same facts as the text and JSON report.
#pragma once

#include <string>

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

// The action part (xlsx_action.cpp): 摘要 summary; 行动清单 actions and 待得经费
// money at stake (nothing without units with targets); and the note that
// marks grades and ranks provisional before the last deadline (empty after).
void add_summary_sheet(const CampaignReport& report, XlsxBook& book);
void add_action_sheets(const CampaignReport& report, const Policy& policy, XlsxBook& book);
std::string provisional_note(const CampaignReport& report);

}  // namespace canbao::cli
