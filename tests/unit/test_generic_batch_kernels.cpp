// The generic batch kernels (src/batch/generic*.cpp) on 004 and its
// retirement variant over rosters long enough for the AVX2 kernel's 16-person
// steps: every kernel gives the same answers and, for bad values (built-in
// or declared, one or several, some fact columns left out), the same error as
// the portable and per-person kernels.
#include <canbao/batch.hpp>
#include <canbao/error.hpp>
#include <canbao/facts.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "detail/batch_hooks.hpp"

namespace {

using namespace canbao;

const Date kAsOf = *Date::from_ymd(2023, 6, 30);

struct Outcome {
  std::string error;  // "" when the call succeeded
  std::vector<std::uint8_t> scheme, actions, groups;
  bool operator==(const Outcome& o) const {
    return error == o.error && (!error.empty() || (scheme == o.scheme && actions == o.actions && groups == o.groups));
  }
};

Outcome run(const Recommender& r, const PersonColumns& in, detail::BatchKernel kernel) {
  Outcome o;
  o.scheme.resize(in.count);
  o.actions.resize(in.count);
  o.groups.resize(in.count);
  detail::set_batch_kernel(kernel);
  try {
    r.recommend_batch(kAsOf, in, RecommendationColumns{o.scheme.data(), o.actions.data(), o.groups.data(), nullptr});
  } catch (const Error& e) {
    o.error = e.what();
  }
  detail::set_batch_kernel(detail::BatchKernel::automatic);
  return o;
}

void expect_kernels_agree(const char* file, unsigned seed) {
  const Recommender r(load_policy_file(std::string(CANBAO_SOURCE_DIR "/examples/policies/") + file));
  std::mt19937 rng(seed);
  const std::int32_t lo = Date::from_ymd(1930, 1, 1)->day_number(), hi = kAsOf.day_number();
  int errors = 0;
  for (int trial = 0; trial < 120; ++trial) {
    PersonColumnStore s(r.facts());
    const std::size_t n = 1000 + rng() % 40;
    for (std::size_t i = 0; i < n; ++i) {
      s.sex.push_back(static_cast<std::uint8_t>(rng() & 1));
      s.birth_day.push_back(lo + static_cast<std::int32_t>(rng() % static_cast<unsigned>(hi - lo)));
      s.hukou_local.push_back(static_cast<std::uint8_t>(rng() % 2));
      s.insurance_status.push_back(static_cast<std::uint8_t>(rng() % kInsuranceStatusCount));
      s.employment.push_back(static_cast<std::uint8_t>(rng() % kEmploymentCount));
      s.flags.push_back(static_cast<std::uint8_t>(rng() % 64));
      s.resident_grade_yuan.push_back(static_cast<std::uint16_t>(100 * (rng() % 40)));
      for (std::size_t f = 0; f < s.fact_columns.size(); ++f) {
        const FactDeclaration& d = r.facts().facts[f];
        const std::uint32_t r32 = rng();
        std::int32_t v = 0;
        switch (d.type) {
          case FactType::boolean: v = static_cast<std::int32_t>(r32 % 2); break;
          case FactType::enumeration: v = static_cast<std::int32_t>(r32 % d.values.size()); break;
          case FactType::flags: v = static_cast<std::int32_t>(r32 % (1u << d.values.size())); break;
          case FactType::integer:
          case FactType::date:
            v = d.min + static_cast<std::int32_t>(r32 % static_cast<std::uint32_t>(d.max - d.min + 1));
            break;
        }
        s.fact_columns[f].push_back(v);
      }
    }
    // 0 to 3 bad values, built-in or declared, anywhere.
    for (int b = 0; b < trial % 4; ++b) {
      const std::size_t row = rng() % n;
      switch (rng() % 5) {
        case 0: s.sex[row] = 2; break;
        case 1: s.birth_day[row] = hi + 5; break;
        case 2: s.flags[row] = 64; break;
        default: s.fact_columns[rng() % s.fact_columns.size()][row] = rng() % 2 ? -1 : 99999;
      }
    }
    PersonColumns in = s.view();
    std::vector<const std::int32_t*> columns(in.facts, in.facts + in.fact_count);
    if (trial % 3 == 0) columns[static_cast<std::size_t>(trial / 3) % columns.size()] = nullptr;  // its default
    in.facts = columns.data();
    const Outcome automatic = run(r, in, detail::BatchKernel::automatic);
    errors += !automatic.error.empty();
    EXPECT_TRUE(automatic == run(r, in, detail::BatchKernel::portable)) << file << " trial " << trial << ": " << automatic.error;
    EXPECT_TRUE(automatic == run(r, in, detail::BatchKernel::per_person)) << file << " trial " << trial << ": " << automatic.error;
  }
  EXPECT_GT(errors, 40);  // the bad values were reached
}

TEST(GenericBatchKernels, The004PoliciesGiveTheSameAnswersAndErrorsInEveryKernel) {
  expect_kernels_agree("004-shiyan-2023.json", 21);
  expect_kernels_agree("004-shiyan-2023-retirement.json", 22);
}

}  // namespace
