// Batch entry points through the C ABI on the 004 example policy, fed random
// column bytes: 4 bytes of as-of day, then 11 bytes a person (sex, birth day
// x4, hukou, insurance status, employment, grade x2, flags). Every value, in
// range or not, must give CANBAO_OK or a user-facing status.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_common.hpp"

namespace {
canbao_policy* policy;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::string text = canbao_fuzz::read_source_file("examples/policies/004-shiyan-2023.json");
  if (canbao_policy_from_json(text.data(), text.size(), &policy) != CANBAO_OK) {
    canbao_fuzz::crash("cannot load example policy", canbao_last_error());
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  std::int32_t as_of_day;
  std::memcpy(&as_of_day, data, 4);
  data += 4;
  size -= 4;
  const std::size_t n = size / 11;
  std::vector<std::uint8_t> sex(n), hukou(n), status(n), employment(n), flags(n);
  std::vector<std::int32_t> birth(n);
  std::vector<std::uint16_t> grade(n);
  std::vector<canbao_person> persons(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t* p = data + 11 * i;
    sex[i] = p[0];
    std::memcpy(&birth[i], p + 1, 4);
    hukou[i] = p[5];
    status[i] = p[6];
    employment[i] = p[7];
    std::memcpy(&grade[i], p + 8, 2);
    flags[i] = p[10];
    persons[i] =
        canbao_person{birth[i], grade[i], sex[i], hukou[i], status[i], employment[i], flags[i], 0};
  }
  std::vector<std::uint8_t> scheme(n), actions(n), groups(n);
  std::vector<std::uint64_t> fired(n);
  canbao_person_columns in{CANBAO_ABI_VERSION, n,
                           sex.data(),         birth.data(),
                           hukou.data(),       status.data(),
                           employment.data(),  grade.data(),
                           flags.data()};
  canbao_recommendation_columns out{CANBAO_ABI_VERSION, scheme.data(), actions.data(),
                                    groups.data(), fired.data()};
  const canbao_status by_columns = canbao_recommend_columns(policy, as_of_day, &in, &out);
  canbao_fuzz::expect_status(by_columns);

  std::vector<canbao_recommendation> results(n);
  const canbao_status by_structs =
      canbao_recommend_batch(policy, as_of_day, persons.data(), n, results.data());
  canbao_fuzz::expect_status(by_structs);
  // Two doors to one kernel: the same inputs must get the same verdict and answers.
  if (by_columns != by_structs) canbao_fuzz::crash("columns and structs disagree on status", "");
  if (by_columns == CANBAO_OK) {
    for (std::size_t i = 0; i < n; ++i) {
      if (results[i].scheme != scheme[i] || results[i].actions != actions[i] ||
          results[i].groups != groups[i] || results[i].fired_rows != fired[i]) {
        canbao_fuzz::crash("columns and structs disagree on a person", "");
      }
    }
  }
  return 0;
}
