// Files of the source tree (examples, test data) for the unit tests.
#pragma once

#include <fstream>
#include <iterator>
#include <string>

#include <canbao/policy.hpp>

namespace canbao_test {

// The bytes of a file under the source folder ("examples/policies/...").
inline std::string source_text(const std::string& rel) {
  std::ifstream in(std::string(CANBAO_SOURCE_DIR) + "/" + rel, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// 001 澄江's example policy: towns, targets, the monthly reporting cadence.
inline canbao::PolicyPtr chengjiang() {
  return canbao::load_policy(source_text("examples/policies/001-chengjiang-2021.json"), "001");
}

}  // namespace canbao_test
