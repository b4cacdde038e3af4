// Roster CSV: any bytes as a roster for the 004 example policy (first byte:
// bit 0 keeps rejects instead of stopping at the first bad row), then every
// writer over what was read.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>

#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>
#include <canbao/roster.hpp>

#include "fuzz_common.hpp"

namespace {
std::optional<canbao::Recommender> recommender;  // held across inputs, as callers should
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  recommender.emplace(
      canbao::load_policy_file(canbao_fuzz::source_path("examples/policies/004-shiyan-2023.json")));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool keep_rejects = data[0] & 1;
  canbao::TableFormat format;  // bit 1: GB18030 (docs/office-data.md)
  if (data[0] & 2) format.encoding = canbao::TextEncoding::gb18030;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  canbao_fuzz::expect_user_facing([&] {
    const canbao::Date as_of = *canbao::Date::from_ymd(2023, 6, 30);
    const canbao::Roster roster = canbao::read_roster(in, "roster.csv", as_of, keep_rejects,
                                                      canbao::FactDeclarations{}, format);
    const canbao::Recommender& tables = *recommender;
    const auto results = canbao::recommend_roster(tables, roster, as_of);
    std::ostringstream out;
    canbao::write_roster_csv(out, tables, roster, results);
    canbao::write_roster_json(out, tables, roster, results);
    canbao::write_rejects_csv(out, roster);
  });
  return 0;
}
