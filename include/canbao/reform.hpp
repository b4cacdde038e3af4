// Reforms: a policy change written as a patch on a base policy's canonical
// JSON (to_json), validated like any policy. A JSON object is a JSON Merge
// Patch (RFC 7386: objects merge, null deletes, arrays are replaced whole); a
// JSON array is a JSON Patch (RFC 6902: add, remove, replace, move, copy,
// test, each with a JSON Pointer path). The result remembers its provenance
// (base fingerprint + the patch) and has its own fingerprint.
#pragma once

#include <canbao/export.hpp>

#include <string>

#include <canbao/policy.hpp>

namespace canbao {

enum class PatchKind {
  detect,       // object -> merge_patch, array -> json_patch
  merge_patch,  // RFC 7386
  json_patch,   // RFC 6902
};
CANBAO_API const char* patch_kind_name(PatchKind kind) noexcept;  // "detect", "merge_patch", "json_patch"

// Applies `patch_text` to `base` and validates the result with load_policy.
// Errors are PolicyErrors naming the place:
//  - the patch itself: "patch: not valid JSON: ...", "patch[2]: test failed:
//    /work_fund/tiers/1/per_person_fen is 80, expected 90", "patch[0].path: ...";
//  - the reformed policy: its JSON path prefixed with "reformed policy: "
//    ("reformed policy: work_fund.tiers[1].deadline: ...").
// `source` names the patch in messages (a file name; default "patch").
CANBAO_API PolicyPtr apply_reform(const Policy& base, const std::string& patch_text,
                       PatchKind kind = PatchKind::detect, const std::string& source = "patch");

// The same with the patch read from a file (PolicyError naming it if unreadable).
CANBAO_API PolicyPtr apply_reform_file(const Policy& base, const std::string& patch_path,
                            PatchKind kind = PatchKind::detect);

// "base 3f2a…(64 hex) + merge_patch {…}" or "" when the policy has no provenance.
CANBAO_API std::string provenance_text(const Policy& policy);

}  // namespace canbao
