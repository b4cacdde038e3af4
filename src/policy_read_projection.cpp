// The optional projection section (docs/projections.md, docs/policy-format.md):
// which method extends the figures, over how many observations, and the
// at-risk margin. Every field is optional; a missing one takes its default.
#include <canbao/projection_settings.hpp>

#include <canbao/detail/message_text.hpp>

#include "detail/policy_reader.hpp"

namespace canbao::detail {

ProjectionSettings read_projection(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  ProjectionSettings s;
  if (const auto method = r.optional_string("method")) {
    if (*method != "linear_trend") {
      fail_at(r.path_of("method"), "expected \"linear_trend\" (the only projection method), got " +
                                       in_quotes(excerpt(*method)));
    }
    s.method = *method;
  }
  // A line needs two points; more than 1000 observations is no trend of a campaign.
  if (const auto n = r.optional_integer("observations", 2, 1000))
    s.observations = static_cast<int>(*n);
  if (r.has("at_risk_margin")) {
    const Ratio m = r.ratio("at_risk_margin");
    // Below 100%: a "≤" condition's safe threshold is threshold x (1 - margin).
    if (m < Ratio(0) || m >= Ratio(1)) {
      fail_at(r.path_of("at_risk_margin"),
              "expected a share from 0 up to (not including) 100%, got " + m.percent_string(4));
    }
    s.at_risk_margin = m;
  }
  s.source = optional_text(r, "source");
  r.done();
  return s;
}

}  // namespace canbao::detail
