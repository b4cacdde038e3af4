// The native policy handle the Python Policy wraps, shared by the binding
// files (module.cpp registers it; readers.cpp takes it as an argument).
#pragma once

#include <optional>
#include <utility>

#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>

namespace canbao::python {

// Holds a loaded policy and, when it has a recommendation section, its
// Recommender (which keeps the batch tables of the last few as-of dates);
// immutable, shared by the Python Policy wrapper.
struct PolicyHandle {
  explicit PolicyHandle(PolicyPtr p) : policy(std::move(p)) {
    if (policy->recommendation) recommender.emplace(policy);
  }
  PolicyPtr policy;
  std::optional<Recommender> recommender;
};

}  // namespace canbao::python
