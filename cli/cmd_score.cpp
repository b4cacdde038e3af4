// `canbao score`: scores, grades and ranking (考核, 赛马比拼, 评先评优) as of a day.
#include <ostream>
#include <sstream>

#include <canbao/error.hpp>
#include <canbao/json_api.hpp>
#include <canbao/report.hpp>

#include "campaign_input.hpp"
#include "command.hpp"

namespace {

const char* kUsage =
    "usage: canbao score POLICY --progress CSV --as-of DATE [--format text|json|csv]\n"
    "\n"
    "Scores every ranked unit as of DATE (indicator points, timeliness bonus,\n"
    "deductions), gives its grade and whether it is eligible for awards (评先评优), and\n"
    "ranks them (competition ranking 1, 2, 2, 4 after the policy's tie-breakers).\n"
    "\n"
    "  POLICY        policy JSON with a scoring section\n"
    "  --progress    progress CSV: unit_id,metric,date,value\n"
    "  --as-of       the day, YYYY-MM-DD (1900-01-01..2200-12-31)\n"
    "  --format      text (default), json (the same bytes as call_json\n"
    "                {\"op\":\"scores\",...}) or csv (columns in docs/report.md)\n"
    "\n"
    "example: canbao score examples/policies/000-xx-town-2021.json \\\n"
    "           --progress examples/progress/000-xx-town-2021.csv --as-of 2021-12-31\n";

int run(const std::vector<std::string>& argv, std::ostream& masked_out, std::ostream&) {
  const auto in = canbao::cli::read_campaign_input(argv, {"text", "json", "csv"});
  if (!in.policy->scoring)
    throw canbao::PolicyError(in.policy_path + ": scoring", "the policy has no scoring");
  if (in.format == "json") {
    std::ostringstream out;
    out << canbao::call_json(*in.policy, canbao::cli::campaign_request("scores", in)) << "\n";
    canbao::cli::write_masked(masked_out, out.str(), in);
    return 0;
  }
  // Scores need no payouts: a work-fund overflow must not stop them.
  const auto report = canbao::make_report(canbao::cli::read_campaign_progress(in), in.as_of,
                                          {/*milestones=*/false, /*work_fund=*/false});
  std::ostringstream out;
  if (in.format == "csv") {
    canbao::write_scores_csv(*report.ranking, *in.policy, out);
  } else {
    canbao::write_report_header(report, out);
    canbao::write_ranking_text(report, *in.policy, out);
  }
  canbao::cli::write_masked(masked_out, out.str(), in);
  return 0;
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{
    "score", "scores, grades and ranking of units, and eligibility for awards", kUsage, run});
