// Files of the source tree (examples, test data) for the unit tests.
#pragma once

#include <fstream>
#include <iterator>
#include <string>

#include <canbao/date.hpp>
#include <canbao/policy.hpp>
#include <canbao/progress.hpp>
#include <canbao/report.hpp>

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

// 000 XX镇's example policy and progress, and its report on a day.
const std::string kXxTownPolicy =
    std::string(CANBAO_SOURCE_DIR) + "/examples/policies/000-xx-town-2021.json";
const std::string kXxTownProgress =
    std::string(CANBAO_SOURCE_DIR) + "/examples/progress/000-xx-town-2021.csv";

inline canbao::Date day(const char* iso) { return *canbao::parse_iso_date(iso); }

struct XxTown {
  canbao::PolicyPtr policy = canbao::load_policy_file(kXxTownPolicy);
  canbao::Progress progress = canbao::read_progress_csv_file(policy, kXxTownProgress);
  canbao::CampaignReport report(const char* as_of) const {
    return canbao::make_report(progress, day(as_of));
  }
};

}  // namespace canbao_test
