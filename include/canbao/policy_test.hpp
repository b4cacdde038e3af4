// Policy test cases: input -> expected output, kept in JSON case files
// (docs/policy-tests.md) and run by `canbao test`, by pytest
// (canbao.testing) and by C callers alike. Every case becomes one call_json
// request (json_api.hpp) and its expectations are checked against the JSON
// response, so C++, the C ABI and Python share one conformance surface.
//
// A case file:
//   {"schema": "canbao.cases/1", "policy": "../policies/000-xx-town-2021.json",
//    "description": "...", "cases": [CASE...]}
// A case is exactly one of
//   person:   {"name", "as_of", "person": {...}, "expect": {scheme, actions, groups, age}}
//   progress: {"name", "as_of", "progress": [...] | "progress_file" | "progress_csv",
//              "expect": {payouts, total_fen, completed_on, ranks, grades, points, milestones}}
//   calendar: {"name", "date", "expect": {"phases": [ids]}}
// with optional "note" and "source". Unknown keys are errors naming their path.
#pragma once

#include <canbao/export.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <canbao/policy.hpp>

namespace canbao {

struct PolicyTestCase {
  std::string name;
  std::string path;     // "cases[3]": where it is in its file
  std::string request;  // the call_json request (JSON text)
  std::string expect;   // the validated "expect" object (canonical JSON text)
};

struct PolicyCaseFile {
  std::string source;                 // the file name, or "cases" for text
  std::optional<std::string> policy;  // "policy", resolved against the file's folder
  std::string description;
  std::vector<PolicyTestCase> cases;
};

// Parses and validates a case file. `base_dir` resolves "policy" and
// "progress_file" (the file's own folder for read_case_file). InputError
// naming the path ("cases[2].expect.payouts.dongfeng.tier: expected an
// integer >= 1 or null, got \"2\"") on anything malformed or unknown.
// Reads no file: a case's "progress_file" stays a name in its request, which
// call_json refuses (it never opens files); use read_case_file, or replace it
// by "progress_csv" yourself.
CANBAO_API PolicyCaseFile parse_case_file(const std::string& json_text, const std::string& source,
                               const std::string& base_dir = "");
// Reads the case file at `path` and every progress file its cases name
// (relative to its folder); their text goes into the requests as progress_csv.
CANBAO_API PolicyCaseFile read_case_file(const std::string& path);

// One expectation that did not hold: "payouts.dongfeng.amount_fen",
// expected "123400", got "98720" (JSON text of each value).
struct CaseMismatch {
  std::string path;
  std::string expected;
  std::string got;
};

struct CaseResult {
  std::string name;
  std::string path;
  bool passed = false;
  std::vector<CaseMismatch> mismatches;
  std::string error;  // the evaluation threw: its what() (the case fails)
};

// Runs one case against `policy`. Never throws for a failing case: errors of
// the evaluation (an unknown unit in the progress, ...) fail the case.
CANBAO_API CaseResult run_case(const Policy& policy, const PolicyTestCase& c);
CANBAO_API std::vector<CaseResult> run_cases(const Policy& policy, const PolicyCaseFile& file);

// Compares an expect object with the response of call_json op `op`
// ("recommend", "report" or "phases_on"; both JSON text). Empty when they agree.
CANBAO_API std::vector<CaseMismatch> check_expectations(const std::string& op, const std::string& expect_json,
                                             const std::string& response_json);

// "  PASS  name" / "  FAIL  name" followed by one line per mismatch:
// "        payouts.dongfeng.amount_fen: expected 123400, got 98720".
CANBAO_API void write_case_result(const CaseResult& r, std::ostream& out);

}  // namespace canbao
