#include "report_command.hpp"

#include <sstream>

#include "output_options.hpp"

namespace canbao::cli {

int run_report_command(const ReportCommand& command, const std::vector<std::string>& argv,
                       std::ostream& out) {
  std::vector<std::string> formats = {"text"};
  if (command.json) formats.push_back("json");
  if (command.csv) formats.push_back("csv");
  if (command.xlsx) formats.push_back("xlsx");
  if (command.html) formats.push_back("html");
  const CampaignInput in = read_campaign_input(argv, formats);
  if (command.check) command.check(in);
  const Progress progress = read_campaign_progress(in);
  const CampaignReport report = make_report(progress, in.as_of, command.parts);
  if (in.format == "xlsx") {
    XlsxBook book(*in.out_path, "--out", in.as_of, in.policy->fingerprint());
    command.xlsx(report, in, progress, book);
    book.commit();
    return 0;
  }
  const ReportCommand::Writer write = in.format == "json"  ? command.json
                                      : in.format == "csv" ? command.csv
                                                           : command.text;
  std::ostringstream text, masked;
  (in.format == "html" ? command.html : write)(report, *in.policy, text);
  write_masked(masked, text.str(), in);
  emit(out, in.out_path, masked.str(), in.format == "csv" && in.bom);
  return 0;
}

}  // namespace canbao::cli
