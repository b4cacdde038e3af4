// `canbao validate POLICY...`: load and validate policies, one line each.
#include <ostream>

#include <canbao/error.hpp>
#include <canbao/policy.hpp>

#include "command.hpp"

namespace canbao::cli {
namespace {

int run_validate(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  const Args args(argv, {}, {});
  if (args.positional().empty()) throw ArgumentError("POLICY", "give at least one policy file");
  int status = 0;
  for (const auto& path : args.positional()) {
    try {
      const PolicyPtr p = load_policy_file(path);
      out << path << ": ok (fingerprint " << p->fingerprint() << ", " << p->units.units.size()
          << " units, " << p->metrics.size() << " metrics, " << p->campaign.phases.size()
          << " phases, " << p->milestones.size() << " milestones"
          << (p->work_fund ? ", work fund" : "") << (p->scoring ? ", scoring" : "")
          << (p->recommendation ? ", recommendation" : "")
          << (p->incentives.empty() ? ""
                                    : ", " + std::to_string(p->incentives.size()) + " incentives")
          << (p->costs ? ", costs" : "") << ")\n";
    } catch (const PolicyError& e) {
      // File and JSON syntax errors are located by the file itself.
      if (e.where() == path) {
        err << path << ": " << e.message() << "\n";
      } else {
        err << path << ": " << e.where() << ": " << e.message() << "\n";
      }
      status = 1;
    }
  }
  return status;
}

CANBAO_REGISTER_COMMAND(Command{
    "validate", "check policy files and print their fingerprints",
    "usage: canbao validate POLICY...\n"
    "\n"
    "Loads each policy JSON file and checks it completely: unknown keys, types,\n"
    "dates (2023-02-29 is an error), ids, references between sections, the unit\n"
    "tree, target allocations, tier and grade ordering (docs/policy-format.md).\n"
    "\n"
    "For a valid policy prints\n"
    "  POLICY: ok (fingerprint SHA256, N units, M metrics, ...)\n"
    "where SHA256 identifies the policy's canonical content (formatting and key\n"
    "order do not change it). For an invalid one prints, on stderr,\n"
    "  POLICY: <json path>: <what is wrong>\n"
    "\n"
    "exit codes: 0 every policy is valid, 1 some policy is invalid, 2 usage error\n",
    run_validate});

}  // namespace
}  // namespace canbao::cli
