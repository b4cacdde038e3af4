// The policy loader hands the "recommendation" section to its reader, and
// to_json asks it for the section back (canonical form).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include <canbao/policy.hpp>

namespace canbao::detail {

// A range condition ({"ge": 45}, {"lt": 40}, {"ge": 16, "lt": 60}, {"eq": 0}):
// at most one lower bound (gt/ge), one upper (lt/le), or eq alone, each read
// by `value`. The values in lo..hi it allows, and which bounds were given;
// PolicyError when it allows none ("impossible range: no WHAT satisfies ...
// (DOMAIN)").
struct Bounds {
  std::int64_t lo, hi;
  bool lower, upper;
};
Bounds read_bounds(const nlohmann::json& j, const std::string& path, std::int64_t lo,
                   std::int64_t hi, const std::string& what, const std::string& domain,
                   const std::function<std::int64_t(const nlohmann::json&, const std::string&)>& value);

// Reads and checks the decision tables, at load. `policy` holds every section
// read so far (campaign, metrics, units). Throws PolicyError with JSON paths
// under `path` ("recommendation.tables[0].rows[3].when.age").
// `facts_section` is the policy's top-level "facts" array, if any (the facts
// the tables may test: facts_json.hpp).
RecommendationRules read_recommendation(const nlohmann::json& section, const std::string& path,
                                        const Policy& policy, const nlohmann::json* facts_section);

// The section as canonical JSON: read_recommendation(write_recommendation(r)) is equal to r
// (the facts go to the top-level "facts" section: write_facts).
nlohmann::json write_recommendation(const RecommendationRules& rules);

}  // namespace canbao::detail
