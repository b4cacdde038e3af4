#include "campaign_input.hpp"

#include <nlohmann/json.hpp>

#include <canbao/error.hpp>

#include "command.hpp"

namespace canbao::cli {

CampaignInput read_campaign_input(const std::vector<std::string>& argv,
                                  const std::vector<std::string>& formats) {
  const Args args(argv, {"--progress", "--as-of", "--format"}, {});
  CampaignInput in;
  if (args.positional().empty())
    throw ArgumentError("POLICY", "the policy file is required (see --help)");
  if (args.positional().size() > 1)
    throw ArgumentError(args.positional()[1], "unexpected argument (see --help)");
  in.policy_path = args.positional().front();
  in.progress_path = args.required("--progress");
  const std::string as_of = args.required("--as-of");
  std::string reason;
  const auto day = parse_iso_date(as_of, &reason);
  if (!day) throw ArgumentError("--as-of", reason + " (expected a date YYYY-MM-DD)");
  in.as_of = *day;
  in.format = args.value("--format").value_or(formats.front());
  std::string names;
  bool known = false;
  for (const auto& f : formats) {
    known = known || f == in.format;
    names += (names.empty() ? "" : ", ") + f;
  }
  if (!known)
    throw ArgumentError("--format", "expected one of " + names + ", got \"" + in.format + "\"");
  in.policy = load_policy_file(in.policy_path);
  return in;
}

std::string campaign_request(const std::string& op, const CampaignInput& in) {
  nlohmann::json r = {{"op", op}, {"as_of", in.as_of.iso()}, {"progress_file", in.progress_path}};
  return r.dump();
}

Progress read_campaign_progress(const CampaignInput& in) {
  return read_progress_csv_file(in.policy, in.progress_path);
}

}  // namespace canbao::cli
