// `canbao report`: the campaign as of a day, for a person (text) or a program (json).
#include <cstddef>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <canbao/error.hpp>
#include <canbao/report.hpp>
#include <canbao/report_html.hpp>

#include "command.hpp"
#include "report_command.hpp"
#include "xlsx_report.hpp"

namespace {

const char* kUsage =
    "usage: canbao report POLICY --progress CSV --as-of DATE [--format text|json|xlsx|html]\n"
    "                     [--projection-observations N] [--out FILE]\n"
    "\n"
    "Everything known about a campaign as of DATE (inclusive; later observations are\n"
    "ignored): the active phases, the next reporting deadline, the one-off deadlines\n"
    "with their contents, each unit's completion date, the status of every milestone\n"
    "per unit, the figures per segment (sector) where progress has them, the work-fund\n"
    "payout of each paid unit with its tier and the total, and the scores, grades and\n"
    "ranking, and the projections: each unit's trend to every milestone due later and\n"
    "the projected work-fund bill (docs/projections.md).\n"
    "\n"
    "  POLICY        policy JSON (docs/policy-format.md)\n"
    "  --progress    progress CSV: unit_id,metric,date,value[,segment] (docs/progress.md)\n"
    "  --as-of       the report day, YYYY-MM-DD (1900-01-01..2200-12-31)\n"
    "  --format      text (default): for a person, Chinese with English in brackets;\n"
    "                json: one line, the same bytes as call_json {\"op\":\"report\",...}\n"
    "                (documented in docs/report.md);\n"
    "                html: one self-contained page with charts, printable on A4\n"
    "                (docs/report.md#html-report)\n"
    "                xlsx: an Excel workbook, one sheet per section (needs --out;\n"
    "                docs/excel.md)\n"
    "  --out         write to FILE (whole or not at all) instead of standard output\n"
    "  --projection-observations  N >= 2: the projections' trend is fitted to the last N\n"
    "                observation points (default: the policy's projection.observations, or 3)\n"
    "\n"
    "example: canbao report examples/policies/000-xx-town-2021.json \\\n"
    "           --progress examples/progress/000-xx-town-2021.csv --as-of 2021-12-31\n";

void text(const canbao::CampaignReport& r, const canbao::Policy& p, std::ostream& out) {
  canbao::write_report_text(r, p, out);
}
void json(const canbao::CampaignReport& r, const canbao::Policy&, std::ostream& out) {
  canbao::write_report_json(r, out, -1);
}
void html(const canbao::CampaignReport& r, const canbao::Policy& p, std::ostream& out) {
  canbao::write_report_html(r, p, out);
}
void xlsx(const canbao::CampaignReport& r, const canbao::cli::CampaignInput& in,
          const canbao::Progress& progress, canbao::cli::XlsxBook& book) {
  canbao::cli::add_report_sheets(r, in, progress, book);
}

// Takes --projection-observations N out of argv (the shared campaign options
// do not know it).
std::optional<int> take_observations(std::vector<std::string>& argv) {
  const std::string option = "--projection-observations";
  std::optional<int> n;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] != option) continue;
    if (n) throw canbao::ArgumentError(option, "given twice");
    if (i + 1 >= argv.size())
      throw canbao::ArgumentError(option, "expected a whole number 2..1000");
    const std::string text = argv[i + 1];
    try {
      std::size_t used = 0;
      const long v = std::stol(text, &used);
      if (used != text.size() || v < 2 || v > 1000) throw std::invalid_argument("range");
      n = static_cast<int>(v);
    } catch (const std::logic_error&) {
      throw canbao::ArgumentError(option, "expected a whole number 2..1000, got \"" + text + "\"");
    }
    argv.erase(argv.begin() + static_cast<std::ptrdiff_t>(i),
               argv.begin() + static_cast<std::ptrdiff_t>(i) + 2);
    --i;
  }
  return n;
}

// The report is many tables; one CSV cannot hold them. Say where each goes
// instead of only listing the formats.
void refuse_csv(const std::vector<std::string>& argv) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--format=csv" ||
        (argv[i] == "--format" && i + 1 < argv.size() && argv[i + 1] == "csv")) {
      throw canbao::ArgumentError(
          "--format",
          "the report has many tables and one CSV cannot hold them: use --format xlsx --out "
          "FILE (one sheet per section), or canbao payouts / score / values --format csv");
    }
  }
}

int run(const std::vector<std::string>& argv_in, std::ostream& out, std::ostream&) {
  std::vector<std::string> argv = argv_in;
  refuse_csv(argv);
  canbao::ReportParts parts;
  parts.projection_observations = take_observations(argv);
  return canbao::cli::run_report_command({nullptr, parts, text, json, nullptr, xlsx, html}, argv,
                                         out);
}

}  // namespace

CANBAO_REGISTER_COMMAND(canbao::cli::Command{
    "report", "campaign report as of a day: phases, milestones, work fund, ranking, projections",
    kUsage, run});
