// Unit tables (docs/units-table.md): any bytes as the unit table of the tabled
// 000 example policy, handed over as a C host does (canbao_policy_from_json_files)
// or, when the first byte is odd, checked as an editor does (check_policy_text:
// every bad row, then the warnings of a table that loads). A table that loads
// must print (to_json) and keep the policy's invariants.
#include <canbao.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include <canbao/policy.hpp>
#include <canbao/policy_check.hpp>

#include "fuzz_common.hpp"

namespace {
std::string policy_text;  // examples/units-table/000-xx-town-2021.json
const char* const kName = "000-units.csv";
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  policy_text = canbao_fuzz::read_source_file("examples/units-table/000-xx-town-2021.json");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const char* table = reinterpret_cast<const char*>(data + 1);
  const std::size_t table_size = size - 1;
  if (data[0] & 1) {
    canbao_fuzz::expect_user_facing([&] {
      const canbao::PolicyFiles files{{{kName, std::string(table, table_size)}}};
      const canbao::PolicyCheck c =
          canbao::check_policy_text(policy_text, canbao::CheckOptions{}, "policy", files);
      if (c.ok() != (c.policy != nullptr)) canbao_fuzz::crash("check", "ok() without a policy");
      if (c.policy) (void)canbao::to_json(*c.policy);
    });
    return 0;
  }
  const canbao_policy_file file{kName, table, table_size};
  canbao_policy* policy = nullptr;
  const canbao_status s =
      canbao_policy_from_json_files(policy_text.data(), policy_text.size(), &file, 1, &policy);
  canbao_fuzz::expect_status(s);
  if (s == CANBAO_OK) {
    char* json = nullptr;
    canbao_fuzz::expect_status(canbao_policy_to_json(policy, &json, nullptr));
    canbao_string_free(json);
  } else if (policy != nullptr) {
    canbao_fuzz::crash("canbao_policy_from_json_files", "an error left *out set");
  }
  canbao_policy_free(policy);
  return 0;
}
