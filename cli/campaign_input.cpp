#include "campaign_input.hpp"

#include <iostream>
#include <ostream>

#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>

#include "command.hpp"
#include "output_options.hpp"
#include "table_input.hpp"

namespace canbao::cli {

CampaignInput read_campaign_input(const std::vector<std::string>& argv,
                                  const std::vector<std::string>& formats,
                                  const std::vector<std::string>& extra_options) {
  std::vector<std::string> options = {"--progress", "--as-of",       "--format",
                                      "--out",      kEncodingOption, kDelimiterOption};
  options.insert(options.end(), extra_options.begin(), extra_options.end());
  const Args args(argv, options, {"--bom", "--no-bom"});
  CampaignInput in;
  if (args.positional().empty())
    throw ArgumentError("POLICY", "the policy file is required (see --help)");
  if (args.positional().size() > 1)
    throw ArgumentError(args.positional()[1], "unexpected argument (see --help)");
  in.policy_path = args.positional().front();
  in.progress_path = args.required("--progress");
  in.as_of = parse_date_option("--as-of", args.required("--as-of"));
  in.table_format = table_format(args);
  in.format = args.value("--format").value_or(formats.front());
  std::string names;
  bool known = false;
  for (const auto& f : formats) {
    known = known || f == in.format;
    names += (names.empty() ? "" : ", ") + f;
  }
  if (!known)
    throw ArgumentError("--format", "expected one of " + names + ", got \"" + in.format + "\"");
  for (const auto& name : extra_options) {
    const auto given = args.values(name);
    if (given.size() > 1) throw ArgumentError(name, "given more than once");
    if (!given.empty()) in.options[name] = given.front();
  }
  in.out_path = args.value("--out");
  in.bom = csv_bom(args, in.out_path.has_value());
  require_out_for_xlsx(in.format, in.out_path);
  in.policy = load_policy_file(in.policy_path);
  return in;
}

Progress read_campaign_progress(const CampaignInput& in) {
  TableNotes notes;
  Progress p = read_progress_csv_file(in.policy, in.progress_path, in.table_format, &notes);
  tell_ignored_columns(std::cerr, in.progress_path, notes);
  return p;
}

void write_masked(std::ostream& out, std::string_view text, const CampaignInput& in) {
  const std::string& keep = in.policy->fingerprint();
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = keep.empty() ? std::string::npos : text.find(keep, start);
    out << detail::mask_id_numbers(text.substr(start, at - start));
    if (at == std::string::npos) break;
    out << keep;
    start = at + keep.size();
  }
}

}  // namespace canbao::cli
