// Policy test-case files: any bytes as a case file; a file that parses is run
// against the 000 example policy (at most 8 cases, to keep each input fast).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <canbao/policy.hpp>
#include <canbao/policy_test.hpp>

#include "fuzz_common.hpp"

namespace {
canbao::PolicyPtr policy;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  policy =
      canbao::load_policy_file(canbao_fuzz::source_path("examples/policies/000-xx-town-2021.json"));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  canbao_fuzz::expect_user_facing([&] {
    const auto file =
        canbao::parse_case_file(text, "cases", canbao_fuzz::source_path("examples/cases"));
    if (file.cases.size() > 8) return;
    std::ostringstream out;
    for (const auto& r : canbao::run_cases(*policy, file)) canbao::write_case_result(r, out);
  });
  return 0;
}
