// Policy loading: any bytes as a policy document.
#include <cstddef>
#include <cstdint>
#include <string>

#include <canbao/policy.hpp>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  canbao_fuzz::expect_user_facing([&] {
    const auto policy = canbao::load_policy(text, "policy");
    (void)canbao::to_json(*policy);  // a loaded policy always prints
  });
  return 0;
}
