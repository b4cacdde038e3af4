// `canbao test POLICY CASES...`: run policy test-case files (docs/policy-tests.md).
#include <ostream>

#include <canbao/error.hpp>
#include <canbao/policy_test.hpp>
#include <canbao/reform.hpp>

#include "command.hpp"

namespace canbao::cli {
namespace {

int run_test(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  const Args args(argv, {"--patch"}, {});
  const auto& pos = args.positional();
  if (pos.size() < 2) throw ArgumentError("CASES", "give a policy and at least one case file");
  PolicyPtr policy = load_policy_file(pos[0]);
  if (const auto patch = args.value("--patch")) policy = apply_reform_file(*policy, *patch);
  out << "policy " << pos[0] << " fingerprint " << policy->fingerprint() << "\n";
  if (policy->provenance) out << "  reformed: " << provenance_text(*policy) << "\n";

  std::size_t passed = 0, failed = 0;
  bool bad_file = false;
  for (std::size_t i = 1; i < pos.size(); ++i) {
    PolicyCaseFile file;
    try {
      file = read_case_file(pos[i]);
    } catch (const InputError& e) {
      err << e.what() << "\n";
      bad_file = true;
      continue;
    }
    out << "\n" << pos[i] << " (" << file.cases.size() << " cases)\n";
    for (const CaseResult& r : run_cases(*policy, file)) {
      write_case_result(r, out);
      ++(r.passed ? passed : failed);
    }
  }
  out << "\n" << passed << " passed, " << failed << " failed\n";
  return failed == 0 && !bad_file ? 0 : 1;
}

CANBAO_REGISTER_COMMAND(Command{
    "test", "run policy test-case files against a policy (or a reform)",
    "usage: canbao test POLICY CASES... [--patch FILE]\n"
    "\n"
    "Runs every case of each case file (docs/policy-tests.md) against POLICY, or\n"
    "against POLICY reformed by --patch FILE (docs/reforms.md): does the draft\n"
    "still give the answers the old plan promised? Prints the fingerprint, then\n"
    "  PASS  case name\n"
    "  FAIL  case name\n"
    "        payouts.dongfeng.amount_fen: expected 98720, got 123400\n"
    "and a count. A case file that is malformed is reported with its JSON path.\n"
    "\n"
    "exit codes: 0 every case passed, 1 some case failed or a file is invalid,\n"
    "2 usage error\n",
    run_test});

}  // namespace
}  // namespace canbao::cli
