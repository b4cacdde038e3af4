// `canbao report`: the campaign as of a day, for a person (text) or a program (json).
#include <ostream>

#include <canbao/report.hpp>

#include "command.hpp"
#include "report_command.hpp"

namespace {

const char* kUsage =
    "usage: canbao report POLICY --progress CSV --as-of DATE [--format text|json]\n"
    "\n"
    "Everything known about a campaign as of DATE (inclusive; later observations are\n"
    "ignored): the active phases, the next reporting deadline, the one-off deadlines\n"
    "with their contents, each unit's completion date, the status of every milestone\n"
    "per unit, the figures per segment (sector) where progress has them, the work-fund\n"
    "payout of each paid unit with its tier and the total, and the scores, grades and\n"
    "ranking.\n"
    "\n"
    "  POLICY        policy JSON (docs/policy-format.md)\n"
    "  --progress    progress CSV: unit_id,metric,date,value[,segment] (docs/progress.md)\n"
    "  --as-of       the report day, YYYY-MM-DD (1900-01-01..2200-12-31)\n"
    "  --format      text (default): for a person, Chinese with English in brackets;\n"
    "                json: one line, the same bytes as call_json {\"op\":\"report\",...}\n"
    "                (documented in docs/report.md)\n"
    "\n"
    "example: canbao report examples/policies/000-xx-town-2021.json \\\n"
    "           --progress examples/progress/000-xx-town-2021.csv --as-of 2021-12-31\n";

void text(const canbao::CampaignReport& r, const canbao::Policy& p, std::ostream& out) {
  canbao::write_report_text(r, p, out);
}
void json(const canbao::CampaignReport& r, const canbao::Policy&, std::ostream& out) {
  canbao::write_report_json(r, out, -1);
}

int run(const std::vector<std::string>& argv, std::ostream& out, std::ostream&) {
  return canbao::cli::run_report_command({nullptr, {}, text, json, nullptr}, argv, out);
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{
    "report", "campaign report as of a day: phases, milestones, work fund, ranking", kUsage, run});
