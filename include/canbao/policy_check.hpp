// Checking a policy for authors: every independent error in one run (up to a
// limit), "did you mean" for misspelled keys, and consistency warnings that do
// not stop a policy from loading (children's targets that do not add up, dates
// outside the campaign, unused metrics). load_policy still throws the first
// error; this is what `canbao validate` prints. See docs/editor.md.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <canbao/export.hpp>
#include <canbao/policy.hpp>

namespace canbao {

enum class Severity { error, warning };

CANBAO_API const char* severity_name(Severity s);  // "error", "warning"

struct PolicyDiagnostic {
  Severity severity = Severity::error;
  std::string path;  // JSON path ("milestones[2].target"), or the file for syntax errors
  std::string message;
};

struct CheckOptions {
  std::size_t max_diagnostics = 50;  // stop collecting after this many
  bool strict = false;               // warnings count as errors
};

struct PolicyCheck {
  std::vector<PolicyDiagnostic> diagnostics;  // in document order, errors before warnings
  bool truncated = false;                     // more were found than max_diagnostics
  PolicyPtr policy;                           // the loaded policy when there is no error

  std::size_t errors() const {
    std::size_t n = 0;
    for (const auto& d : diagnostics) n += d.severity == Severity::error ? 1 : 0;
    return n;
  }
  std::size_t warnings() const { return diagnostics.size() - errors(); }
  // No errors, and no warnings either when `strict`.
  bool ok(bool strict = false) const { return errors() == 0 && (!strict || warnings() == 0); }
};

// `source` names the text in syntax errors (a file name). Never throws a
// PolicyError: every problem is a diagnostic.
CANBAO_API PolicyCheck check_policy_text(std::string_view json, const CheckOptions& options = {},
                                         const std::string& source = "");
// A file that cannot be opened is one diagnostic at the file's path.
CANBAO_API PolicyCheck check_policy_file(const std::string& path, const CheckOptions& options = {});
// With the unit table the policy names (policy.hpp PolicyFiles); check_policy_file
// reads it from the policy's folder (read_policy_files).
CANBAO_API PolicyCheck check_policy_text(std::string_view json, const CheckOptions& options,
                                         const std::string& source, const PolicyFiles& files);

// The JSON Schema of canbao.policy/1 (docs/schema/canbao.policy-1.schema.json,
// embedded at build time) for editors: completion and checks as you type. It
// checks shapes, not references; check_policy does both.
CANBAO_API const std::string& policy_json_schema();

}  // namespace canbao
