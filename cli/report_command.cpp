#include "report_command.hpp"

#include <sstream>

namespace canbao::cli {

int run_report_command(const ReportCommand& command, const std::vector<std::string>& argv,
                       std::ostream& out) {
  std::vector<std::string> formats = {"text"};
  if (command.json) formats.push_back("json");
  if (command.csv) formats.push_back("csv");
  if (command.html) formats.push_back("html");
  const CampaignInput in = read_campaign_input(argv, formats);
  if (command.check) command.check(in);
  const CampaignReport report = make_report(read_campaign_progress(in), in.as_of, command.parts);
  const ReportCommand::Writer write = in.format == "json"  ? command.json
                                      : in.format == "csv" ? command.csv
                                                           : command.text;
  std::ostringstream text;
  (in.format == "html" ? command.html : write)(report, *in.policy, text);
  write_masked(out, text.str(), in);
  return 0;
}

}  // namespace canbao::cli
