// Progress CSV: any bytes as progress for the 000, 001 or 004 example policy
// (first byte % 3), read as UTF-8 or, when (first byte / 3) is odd, GB18030.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include <canbao/evaluation.hpp>
#include <canbao/policy.hpp>
#include <canbao/progress.hpp>

#include "fuzz_common.hpp"

namespace {
canbao::PolicyPtr policies[3];
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* files[3] = {"examples/policies/000-xx-town-2021.json",
                          "examples/policies/001-chengjiang-2021.json",
                          "examples/policies/004-shiyan-2023.json"};
  for (int i = 0; i < 3; ++i)
    policies[i] = canbao::load_policy_file(canbao_fuzz::source_path(files[i]));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  canbao::TableFormat format;
  if ((data[0] / 3) & 1) format.encoding = canbao::TextEncoding::gb18030;
  canbao_fuzz::expect_user_facing([&] {
    canbao::TableNotes notes;
    (void)canbao::read_progress_csv(policies[data[0] % 3], in, "progress.csv", format, &notes);
  });
  return 0;
}
