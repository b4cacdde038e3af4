// The policy loader hands the "recommendation" section to its reader, and
// to_json asks it for the section back (canonical form).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <canbao/policy.hpp>

namespace canbao::detail {

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
