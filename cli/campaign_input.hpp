// Shared arguments of the campaign commands (report, payouts, score):
// POLICY --progress CSV --as-of DATE [--format ...] [--out FILE] [--bom|--no-bom]. Usage errors (a
// bad date, a missing option, an unknown format) are ArgumentErrors naming the option and are
// checked before any file is read.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/policy.hpp>
#include <canbao/progress.hpp>
#include <canbao/table_format.hpp>

namespace canbao::cli {

struct CampaignInput {
  std::string policy_path;
  std::string progress_path;
  Date as_of;
  std::string format;
  PolicyPtr policy;  // loaded and validated
  // The values of a command's own options (`extra_options` below), by name.
  std::map<std::string, std::string> options{};
  // --out FILE (any format; xlsx needs it) and whether CSV gets a UTF-8 BOM
  // (--bom/--no-bom; default on for --out, off for standard output).
  std::optional<std::string> out_path{};
  bool bom = false;
  TableFormat table_format{};  // --encoding, --delimiter
};

// `extra_options` are a command's own value options ("--unit"), given at most once.
CampaignInput read_campaign_input(const std::vector<std::string>& argv,
                                  const std::vector<std::string>& formats,
                                  const std::vector<std::string>& extra_options = {});

// Reads the progress file against the policy (errors name file:line:column);
// columns it ignores are listed once on stderr.
Progress read_campaign_progress(const CampaignInput& in);

// Writes what report, payouts and score print with every ID-like digit run
// masked (a unit name or id in the policy may carry one), except the policy
// fingerprint: its hex may hold a run of exactly 15 or 18 digits.
void write_masked(std::ostream& out, std::string_view text, const CampaignInput& in);

}  // namespace canbao::cli
