// The shape shared by the campaign commands (report, payouts, score): read
// POLICY --progress CSV --as-of DATE [--format ...], check the policy has what
// the command prints, gather the report parts it needs and write them in the
// chosen format, with every ID-like digit run masked (write_masked), to
// standard output or --out FILE (xlsx only to a file).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <canbao/policy.hpp>
#include <canbao/report.hpp>

#include "campaign_input.hpp"
#include "xlsx_book.hpp"

namespace canbao::cli {

struct ReportCommand {
  using Writer = void (*)(const CampaignReport& report, const Policy& policy, std::ostream& out);
  // Throws when the policy lacks the section the command prints; may be null.
  void (*check)(const CampaignInput& in) = nullptr;
  // Which sections to evaluate: a command that does not print one is not
  // stopped by its errors (a work-fund overflow does not stop scoring).
  ReportParts parts;
  // One writer per format; --format offers text (the default), then json and
  // csv when given. json is one line, the same bytes as call_json.
  Writer text = nullptr;
  Writer json = nullptr;
  Writer csv = nullptr;
  // --format xlsx (needs --out): adds the command's sheets to the workbook.
  using XlsxWriter = void (*)(const CampaignReport& report, const CampaignInput& in,
                              const Progress& progress, XlsxBook& book);
  XlsxWriter xlsx = nullptr;
  // html: one self-contained page (report_html.hpp), offered after the others.
  Writer html = nullptr;
  // Gathers what the command prints; null: make_report with `parts`.
  using Evaluate = CampaignReport (*)(const Progress& progress, Date as_of);
  Evaluate evaluate = nullptr;
};

int run_report_command(const ReportCommand& command, const std::vector<std::string>& argv,
                       std::ostream& out);

}  // namespace canbao::cli
