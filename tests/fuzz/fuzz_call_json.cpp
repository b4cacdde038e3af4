// call_json through the C ABI on the 000 and 004 example policies: the first
// byte picks the policy (even 000, odd 004), the rest is the request.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"

namespace {
canbao_policy* policies[2];

canbao_policy* load(const char* relative) {
  const std::string text = canbao_fuzz::read_source_file(relative);
  canbao_policy* p = nullptr;
  if (canbao_policy_from_json(text.data(), text.size(), &p) != CANBAO_OK) {
    canbao_fuzz::crash("cannot load example policy", canbao_last_error());
  }
  return p;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  policies[0] = load("examples/policies/000-xx-town-2021.json");
  policies[1] = load("examples/policies/004-shiyan-2023.json");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  char* response = nullptr;
  const canbao_status s = canbao_call_json(
      policies[data[0] & 1], reinterpret_cast<const char*>(data + 1), size - 1, &response);
  canbao_fuzz::expect_status(s);
  if ((s == CANBAO_OK) != (response != nullptr)) canbao_fuzz::crash("response/status mismatch", "");
  canbao_string_free(response);
  return 0;
}
