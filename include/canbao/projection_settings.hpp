// A policy's projection settings (the optional "projection" section,
// docs/projections.md): how each unit's figures are extended past the as-of
// day to the milestones' due dates and the work fund's deadlines. Defaults
// apply when a policy has no section; a caller may override the number of
// observations.
#pragma once

#include <string>

#include <canbao/ratio.hpp>

namespace canbao {

struct ProjectionSettings {
  // "linear_trend": a least-squares line over the last `observations`
  // observation points (the only method a policy can name so far).
  std::string method = "linear_trend";
  int observations = 3;  // >= 2
  // A projection that meets a threshold by less than this share of it is
  // "at_risk" (5%: a unit projected at 82% against 80% needs 84% to be safe).
  Ratio at_risk_margin{5, 100};
  std::string source;
};

}  // namespace canbao
