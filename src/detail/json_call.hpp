// call_json for a caller that keeps the policy's Recommender (the C ABI's
// policy handle does): op "recommend" then uses its row index instead of
// building one per call. The public call_json (json_api.hpp) passes none.
// Facade layer: json_api.cpp defines it, bindings/c calls it.
#pragma once

#include <string>

#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>

namespace canbao::detail {

// `recommender` may be null; when given it must be the policy's.
std::string call_json(const Policy* policy, const Recommender* recommender,
                      const std::string& request);

}  // namespace canbao::detail
