// `canbao report`: the campaign as of a day, for a person (text) or a program (json).
#include <ostream>
#include <sstream>

#include <canbao/json_api.hpp>
#include <canbao/report.hpp>

#include "campaign_input.hpp"
#include "command.hpp"

namespace {

const char* kUsage =
    "usage: canbao report POLICY --progress CSV --as-of DATE [--format text|json]\n"
    "\n"
    "Everything known about a campaign as of DATE (inclusive; later observations are\n"
    "ignored): the active phases, the next reporting deadline, each unit's completion\n"
    "date, the status of every milestone per unit, the work-fund payout of each paid\n"
    "unit with its tier and the total, and the scores, grades and ranking.\n"
    "\n"
    "  POLICY        policy JSON (docs/policy-format.md)\n"
    "  --progress    progress CSV: unit_id,metric,date,value (docs/policy-format.md)\n"
    "  --as-of       the report day, YYYY-MM-DD (1900-01-01..2200-12-31)\n"
    "  --format      text (default): for a person, Chinese with English in brackets;\n"
    "                json: one line, the same bytes as call_json {\"op\":\"report\",...}\n"
    "                (documented in docs/report.md)\n"
    "\n"
    "example: canbao report examples/policies/000-xx-town-2021.json \\\n"
    "           --progress examples/progress/000-xx-town-2021.csv --as-of 2021-12-31\n";

int run(const std::vector<std::string>& argv, std::ostream& masked_out, std::ostream&) {
  const auto in = canbao::cli::read_campaign_input(argv, {"text", "json"});
  if (in.format == "json") {
    std::ostringstream out;
    out << canbao::call_json(*in.policy, canbao::cli::campaign_request("report", in)) << "\n";
    canbao::cli::write_masked(masked_out, out.str(), in);
    return 0;
  }
  const auto report = canbao::make_report(canbao::cli::read_campaign_progress(in), in.as_of);
  std::ostringstream out;
  canbao::write_report_text(report, *in.policy, out);
  canbao::cli::write_masked(masked_out, out.str(), in);
  return 0;
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{
    "report", "campaign report as of a day: phases, milestones, work fund, ranking", kUsage, run});
