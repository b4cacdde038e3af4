// `canbao payouts`: the work fund (工作经费) per paid unit as of a day.
#include <ostream>

#include <canbao/error.hpp>
#include <canbao/report.hpp>

#include "command.hpp"
#include "report_command.hpp"
#include "xlsx_report.hpp"

namespace {

const char* kUsage =
    "usage: canbao payouts POLICY --progress CSV --as-of DATE [--format text|json|csv|xlsx]\n"
    "                      [--out FILE] [--bom|--no-bom]\n"
    "\n"
    "The deadline-tiered work fund as of DATE: for each paid unit its completion date,\n"
    "status (tier, late, not_complete), tier, rate in yuan per person, basis count and\n"
    "the day it was taken, and the amount; then the total. Money is exact (fen) and\n"
    "printed as yuan with two decimals.\n"
    "\n"
    "  POLICY        policy JSON with a work_fund section\n"
    "  --progress    progress CSV: unit_id,metric,date,value\n"
    "  --as-of       the day, YYYY-MM-DD (1900-01-01..2200-12-31)\n"
    "  --format      text (default), json (the same bytes as call_json\n"
    "                {\"op\":\"payouts\",...}), csv (columns in docs/report.md) or xlsx\n"
    "                (an Excel workbook, sheet 工作经费; needs --out; docs/excel.md)\n"
    "  --out         write to FILE (whole or not at all) instead of standard output\n"
    "  --bom         start CSV with a UTF-8 byte order mark, for Excel on Chinese\n"
    "                Windows; on by default with --out, off on standard output\n"
    "                (--no-bom turns it off)\n"
    "\n"
    "example: canbao payouts examples/policies/000-xx-town-2021.json \\\n"
    "           --progress examples/progress/000-xx-town-2021.csv --as-of 2021-12-31 --format "
    "csv\n";

void check(const canbao::cli::CampaignInput& in) {
  if (!in.policy->work_fund)
    throw canbao::PolicyError(in.policy_path + ": work_fund", "the policy has no work fund");
}

void text(const canbao::CampaignReport& r, const canbao::Policy& p, std::ostream& out) {
  canbao::write_report_header(r, out);
  canbao::write_work_fund_text(r, p, out);
}
void json(const canbao::CampaignReport& r, const canbao::Policy&, std::ostream& out) {
  canbao::write_work_fund_json(*r.work_fund, r.as_of, out, -1);
}
void csv(const canbao::CampaignReport& r, const canbao::Policy& p, std::ostream& out) {
  canbao::write_payouts_csv(*r.work_fund, p, out);
}
void xlsx(const canbao::CampaignReport& r, const canbao::cli::CampaignInput& in,
          const canbao::Progress&, canbao::cli::XlsxBook& book) {
  canbao::cli::add_work_fund_sheet(r, in, book);
}

// Only what payouts print: the report's header fields, the completions and
// the work fund from them. make_report would also gather the calendar, the
// segments, the late reports and the action list (700,000 units' worth at
// national scale), none of which a payouts format shows.
canbao::CampaignReport evaluate(const canbao::Progress& progress, canbao::Date as_of) {
  const canbao::Policy& p = progress.policy();
  canbao::CampaignReport r;
  r.campaign_id = p.campaign.id;
  r.campaign_title = p.campaign.title;
  r.campaign_year = p.campaign.year;
  r.policy_fingerprint = p.fingerprint();
  r.as_of = as_of;
  r.completions = canbao::completion_dates(progress, as_of);
  r.work_fund = canbao::evaluate_work_fund(progress, as_of, r.completions);
  return r;
}

int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream&) {
  // Payouts need no scores: a scoring problem must not stop them.
  canbao::cli::ReportCommand command{check, {}, text, json, csv, xlsx};
  command.evaluate = evaluate;
  return canbao::cli::run_report_command(command, argv, out);
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{
    "payouts", "work-fund payout per unit with its tier, and the total", kUsage, run});
