// The one way to set the model's computed fields (the fingerprint and the
// indices resolved at load). They are read-only in the public headers so a
// caller cannot make them disagree with the data; only the policy readers
// include this header and write them.
#pragma once

#include <string>
#include <utility>

#include <canbao/policy.hpp>

namespace canbao::detail {

struct ModelAccess {
  static void set_fingerprint(Policy& p, std::string fingerprint) {
    p.fingerprint_ = std::move(fingerprint);
  }
};

}  // namespace canbao::detail
