// `canbao score`: scores, grades and ranking (考核, 赛马比拼, 评先评优) as of a day.
#include <ostream>

#include <canbao/error.hpp>
#include <canbao/report.hpp>

#include "command.hpp"
#include "report_command.hpp"
#include "xlsx_report.hpp"

namespace {

const char* kUsage =
    "usage: canbao score POLICY --progress CSV --as-of DATE [--format text|json|csv|xlsx]\n"
    "                    [--out FILE] [--bom|--no-bom]\n"
    "\n"
    "Scores every ranked unit as of DATE (indicator points, timeliness bonus,\n"
    "deductions), gives its grade and whether it is eligible for awards (评先评优), and\n"
    "ranks them (competition ranking 1, 2, 2, 4 after the policy's tie-breakers).\n"
    "\n"
    "  POLICY        policy JSON with a scoring section\n"
    "  --progress    progress CSV: unit_id,metric,date,value\n"
    "  --as-of       the day, YYYY-MM-DD (1900-01-01..2200-12-31)\n"
    "  --format      text (default), json (the same bytes as call_json\n"
    "                {\"op\":\"scores\",...}), csv (columns in docs/report.md) or xlsx\n"
    "                (an Excel workbook, sheet 排名; needs --out; docs/excel.md)\n"
    "  --out         write to FILE (whole or not at all) instead of standard output\n"
    "  --bom         start CSV with a UTF-8 byte order mark, for Excel on Chinese\n"
    "                Windows; on by default with --out, off on standard output\n"
    "                (--no-bom turns it off)\n"
    "\n"
    "example: canbao score examples/policies/000-xx-town-2021.json \\\n"
    "           --progress examples/progress/000-xx-town-2021.csv --as-of 2021-12-31\n";

void check(const canbao::cli::CampaignInput& in) {
  if (!in.policy->scoring)
    throw canbao::PolicyError(in.policy_path + ": scoring", "the policy has no scoring");
}

void text(const canbao::CampaignReport& r, const canbao::Policy& p, std::ostream& out) {
  canbao::write_report_header(r, out);
  canbao::write_ranking_text(r, p, out);
}
void json(const canbao::CampaignReport& r, const canbao::Policy&, std::ostream& out) {
  canbao::write_ranking_json(*r.ranking, out, -1);
}
void csv(const canbao::CampaignReport& r, const canbao::Policy& p, std::ostream& out) {
  canbao::write_scores_csv(*r.ranking, p, out);
}
void xlsx(const canbao::CampaignReport& r, const canbao::cli::CampaignInput& in,
          const canbao::Progress&, canbao::cli::XlsxBook& book) {
  canbao::cli::add_ranking_sheet(r, in, book);
}

int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream&) {
  // Scores need no payouts: a work-fund overflow must not stop them.
  return canbao::cli::run_report_command(
      {check,
       {/*milestones=*/false, /*work_fund=*/false, /*ranking=*/true, /*projections=*/false},
       text,
       json,
       csv,
       xlsx},
      argv, out);
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{
    "score", "scores, grades and ranking of units, and eligibility for awards", kUsage, run});
