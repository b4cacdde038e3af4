// One JSON-in / JSON-out entry for every capability. The C ABI
// (canbao_call_json), the Python module and the CLI all go through call_json,
// so one set of conformance cases (request -> expected response) checks them
// all alike.
//
// A request is a JSON object with an "op" and that op's fields:
//   {"op":"recommend","as_of":"2023-06-30","person":{...}}
//   {"op":"payouts"|"scores"|"report","as_of":"...","progress":[{...}] | "progress_csv":"..."}
//   {"op":"projections","as_of":"...", progress as above, "observations":3 (optional)}
//   {"op":"compare","as_of":"...","patch":{...}|"reform":{...},"roster_csv":"...", progress...}
//   {"op":"costs","as_of":"...", progress... (optional), "roster_csv":"..." (optional)}
//   {"op":"phases_on","date":"2021-07-01"}
//   {"op":"retirement","sex":"female","birth":"1975-03-10","original_age":55}
//   {"op":"parse_id","number":"..."}
//   {"op":"policy"}   {"op":"fingerprint"}   {"op":"version"}   {"op":"ops"}
// Unknown ops and unknown keys are errors. The response is the result as JSON
// (deterministic: same request, byte-identical response).
//
// call_json never opens a file: requests carry data ("progress_csv" is the
// CSV's text; "progress_csv_name"/"roster_csv_name" name the host's file in
// error places). "progress_file" and "roster_file" are InputErrors telling
// the caller to read the file: the host (CLI, Python helpers) does that, so
// a request from an untrusted source cannot make the library read a file.
// The request text is read strictly: nesting deeper than 64 levels, duplicate
// keys, NUL bytes and numbers out of range are InputErrors at "request" or the
// key's path, never crashes or internal errors.
#pragma once

#include <canbao/export.hpp>

#include <string>
#include <vector>

#include <canbao/policy.hpp>

namespace canbao {

// Evaluates `request` against `policy`. Throws InputError naming the request
// field ("request.as_of: ...") for a malformed request, PolicyError when the
// policy lacks what the op needs, and whatever the evaluation throws.
// Thread-safe: `policy` is only read.
CANBAO_API std::string call_json(const Policy& policy, const std::string& request);

// The same for ops that need no policy ("retirement", "parse_id", "version",
// "ops"); `policy` may be null, and an op that needs one is an ArgumentError.
CANBAO_API std::string call_json(const Policy* policy, const std::string& request);

// The ops this build answers, in alphabetical order.
CANBAO_API std::vector<std::string> json_ops();

}  // namespace canbao
