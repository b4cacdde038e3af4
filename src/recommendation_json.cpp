// Placeholder until the decision-table compiler lands: a policy with a
// recommendation section is rejected loudly rather than half-loaded.
#include "detail/recommendation_json.hpp"

#include <canbao/error.hpp>

namespace canbao::detail {

std::shared_ptr<const RecommendationTables> read_recommendation(const nlohmann::json&,
                                                                const std::string& path,
                                                                const Policy&) {
  throw PolicyError(path, "recommendation tables are not supported by this build yet");
}

nlohmann::json write_recommendation(const RecommendationTables&) { return nlohmann::json::object(); }

}  // namespace canbao::detail
