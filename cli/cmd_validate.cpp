// `canbao validate POLICY...`: check policies and report every independent
// error and warning with its JSON path (policy_check.hpp); `canbao schema`
// prints the policy JSON Schema for editors (docs/editor.md).
#include <ostream>

#include <nlohmann/json.hpp>

#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/policy_check.hpp>

#include "command.hpp"

namespace canbao::cli {
namespace {

std::size_t max_errors(const Args& args) {
  const auto text = args.value("--max-errors");
  if (!text) return 50;
  std::size_t n = 0;
  for (char c : *text) {
    if (c < '0' || c > '9' || n > 1'000'000) {
      throw ArgumentError("--max-errors", "expected a whole number from 1, got \"" + *text + "\"");
    }
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  if (text->empty() || n == 0 || n > 1'000'000)
    throw ArgumentError("--max-errors", "expected a whole number from 1 to 1000000");
  return n;
}

std::string plural(std::size_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

void print_text(const std::string& path, const PolicyCheck& c, bool strict, std::ostream& out,
                std::ostream& err) {
  if (c.ok(strict)) {
    const Policy& p = *c.policy;
    out << path << ": ok (fingerprint " << p.fingerprint() << ", " << p.units.units.size()
        << " units, " << p.metrics.size() << " metrics, " << p.campaign.phases.size() << " phases, "
        << p.milestones.size() << " milestones" << (p.work_fund ? ", work fund" : "")
        << (p.scoring ? ", scoring" : "") << (p.recommendation ? ", recommendation" : "")
        << (p.incentives.empty() ? "" : ", " + std::to_string(p.incentives.size()) + " incentives")
        << (p.costs ? ", costs" : "") << ")\n";
  }
  for (const auto& d : c.diagnostics) {
    err << path << ": ";
    // File and JSON syntax errors are located by the file itself.
    if (d.path != path) err << d.path << ": ";
    if (d.severity == Severity::warning) err << "warning: ";
    err << d.message << "\n";
  }
  if (c.truncated) {
    err << path << ": stopped at the limit of " << c.diagnostics.size()
        << " (--max-errors): there may be more\n";
  }
  if (!c.diagnostics.empty()) {
    err << path << ": " << plural(c.errors(), "error") << ", " << plural(c.warnings(), "warning")
        << (c.truncated ? " (or more)" : "") << "\n";
  }
}

nlohmann::json to_json(const std::string& path, const PolicyCheck& c, bool strict) {
  nlohmann::json diagnostics = nlohmann::json::array();
  for (const auto& d : c.diagnostics) {
    diagnostics.push_back(
        {{"severity", severity_name(d.severity)}, {"path", d.path}, {"message", d.message}});
  }
  return {{"file", path},
          {"ok", c.ok(strict)},
          {"fingerprint", c.policy ? c.policy->fingerprint() : ""},
          {"errors", c.errors()},
          {"warnings", c.warnings()},
          {"truncated", c.truncated},
          {"diagnostics", diagnostics}};
}

int run_validate(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  const Args args(argv, {"--max-errors", "--format"}, {"--strict"});
  if (args.positional().empty()) throw ArgumentError("POLICY", "give at least one policy file");
  const std::string format = args.value("--format").value_or("text");
  if (format != "text" && format != "json")
    throw ArgumentError("--format", "expected text or json, got \"" + format + "\"");
  CheckOptions options;
  options.max_diagnostics = max_errors(args);
  const bool strict = args.flag("--strict");
  int status = 0;
  nlohmann::json files = nlohmann::json::array();
  for (const auto& path : args.positional()) {
    const PolicyCheck c = check_policy_file(path, options);
    if (!c.ok(strict)) status = 1;
    if (format == "json") {
      files.push_back(to_json(path, c, strict));
    } else {
      print_text(path, c, strict, out, err);
    }
  }
  if (format == "json") out << files.dump(1) << "\n";
  return status;
}

CANBAO_REGISTER_COMMAND(Command{
    "validate", "check policy files: every error and warning, with its JSON path",
    "usage: canbao validate POLICY... [--strict] [--max-errors N] [--format text|json]\n"
    "\n"
    "Checks each policy JSON file completely: unknown keys (with the closest\n"
    "allowed key: did you mean ...?), types, dates (2023-02-29 is an error), ids,\n"
    "references between sections, the unit tree, target allocations, tier and\n"
    "grade ordering (docs/policy-format.md). Every independent error is reported,\n"
    "not just the first; a part that failed is not checked further (a reference\n"
    "to a unit whose entry is wrong is not reported again). See docs/editor.md.\n"
    "\n"
    "Warnings point at what is legal but most likely a mistake: children's count\n"
    "targets that do not add up to the parent's, milestones due outside the\n"
    "campaign, work fund tiers after the campaign ends, metrics nothing uses.\n"
    "\n"
    "For a valid policy prints\n"
    "  POLICY: ok (fingerprint SHA256, N units, M metrics, ...)\n"
    "where SHA256 identifies the policy's canonical content (formatting and key\n"
    "order do not change it). Each problem goes to stderr as\n"
    "  POLICY: <json path>: <what is wrong>\n"
    "  POLICY: <json path>: warning: <what looks wrong>\n"
    "followed by a count line \"POLICY: E errors, W warnings\".\n"
    "\n"
    "options:\n"
    "  --strict          warnings are errors (exit 1)\n"
    "  --max-errors N    stop after N errors and warnings per file (default 50)\n"
    "  --format json     one JSON array on stdout: per file {file, ok, fingerprint,\n"
    "                    errors, warnings, truncated, diagnostics: [{severity,\n"
    "                    path, message}]}\n"
    "\n"
    "exit codes: 0 every policy is valid, 1 some policy is invalid (or has\n"
    "warnings with --strict), 2 usage error\n",
    run_validate});

int run_schema(const std::vector<std::string>& argv, std::ostream& out, std::ostream&) {
  const Args args(argv, {}, {});
  if (!args.positional().empty())
    throw ArgumentError(args.positional().front(), "schema takes no arguments");
  out << policy_json_schema();
  return 0;
}

CANBAO_REGISTER_COMMAND(Command{
    "schema", "print the JSON Schema of canbao.policy/1 policies (for editors)",
    "usage: canbao schema > canbao.policy-1.schema.json\n"
    "\n"
    "Prints the JSON Schema (draft 2020-12) of canbao.policy/1 policy files, the\n"
    "same text as docs/schema/canbao.policy-1.schema.json. Editors use it for\n"
    "completion, descriptions and checks as you type (docs/editor.md). It checks\n"
    "shapes only: references between sections, the unit tree and dates in the\n"
    "campaign are checked by `canbao validate`.\n"
    "\n"
    "exit codes: 0 printed, 2 usage error\n",
    run_schema});

}  // namespace
}  // namespace canbao::cli
