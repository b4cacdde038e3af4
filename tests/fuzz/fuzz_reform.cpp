// Reforms: any bytes as a patch on the 000 or 004 example policy. First byte:
// bit 0 picks the base (000, 004), bits 1-2 the kind (detect, merge patch,
// JSON patch).
#include <cstddef>
#include <cstdint>
#include <string>

#include <canbao/policy.hpp>
#include <canbao/reform.hpp>

#include "fuzz_common.hpp"

namespace {
canbao::PolicyPtr bases[2];
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  bases[0] =
      canbao::load_policy_file(canbao_fuzz::source_path("examples/policies/000-xx-town-2021.json"));
  bases[1] =
      canbao::load_policy_file(canbao_fuzz::source_path("examples/policies/004-shiyan-2023.json"));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const canbao::PatchKind kinds[4] = {canbao::PatchKind::detect, canbao::PatchKind::merge_patch,
                                      canbao::PatchKind::json_patch, canbao::PatchKind::detect};
  const std::string patch(reinterpret_cast<const char*>(data + 1), size - 1);
  canbao_fuzz::expect_user_facing([&] {
    const auto reformed =
        canbao::apply_reform(*bases[data[0] & 1], patch, kinds[(data[0] >> 1) & 3]);
    (void)canbao::provenance_text(*reformed);
  });
  return 0;
}
