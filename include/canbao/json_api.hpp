// One JSON-in / JSON-out entry for every capability. The C ABI
// (canbao_call_json), the Python module and the CLI all go through call_json,
// so one set of conformance cases (request -> expected response) checks them
// all alike.
//
// A request is a JSON object with an "op" and that op's fields:
//   {"op":"recommend","as_of":"2023-06-30","person":{...}}
//   {"op":"payouts"|"scores"|"report","as_of":"...","progress":[{...}] | "progress_csv":"..."}
//   {"op":"phases_on","date":"2021-07-01"}
//   {"op":"retirement","sex":"female","birth":"1975-03-10","original_age":55}
//   {"op":"parse_id","number":"..."}
//   {"op":"policy"}   {"op":"fingerprint"}   {"op":"version"}   {"op":"ops"}
// Unknown ops and unknown keys are errors. The response is the result as JSON
// (deterministic: same request, byte-identical response).
#pragma once

#include <string>
#include <vector>

#include <canbao/policy.hpp>

namespace canbao {

// Evaluates `request` against `policy`. Throws InputError naming the request
// field ("request.as_of: ...") for a malformed request, PolicyError when the
// policy lacks what the op needs, and whatever the evaluation throws.
// Thread-safe: `policy` is only read.
std::string call_json(const Policy& policy, const std::string& request);

// The same for ops that need no policy ("retirement", "parse_id", "version",
// "ops"); `policy` may be null, and an op that needs one is an ArgumentError.
std::string call_json(const Policy* policy, const std::string& request);

// The ops this build answers, in alphabetical order.
std::vector<std::string> json_ops();

}  // namespace canbao
