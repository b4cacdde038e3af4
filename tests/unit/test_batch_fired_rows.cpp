// fired_rows from every batch kernel (issue 15: the fired-row set's id rides
// in the packed answer, and large runs stream the words past the caches):
// 1.2 million persons, over the 2^20 at which the AVX2 kernel streams, run
// through each kernel (detail::set_batch_kernel) must give word-for-word the
// same fired_rows, and every 97th person's words must be the one-person
// trace's rows (Recommendation::trace, bit = global row number).
#include <canbao/batch.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/recommender.hpp>

#include <gtest/gtest.h>

#include "detail/batch_hooks.hpp"

#include <random>
#include <string>
#include <vector>

namespace {

using namespace canbao;

struct KernelGuard {
  explicit KernelGuard(detail::BatchKernel k) { detail::set_batch_kernel(k); }
  ~KernelGuard() { detail::set_batch_kernel(detail::BatchKernel::automatic); }
};

// 004's persons (benchmarks/bench_recommend.cpp's mix); with `facts`, random
// values of 004's declared facts (g2_groups bits, suspended_scheme, prior years).
PersonColumnStore persons(std::size_t n, Date as_of, const Recommender& r, bool facts) {
  std::mt19937 rng(15);
  PersonColumnStore c = facts ? PersonColumnStore(r.facts()) : PersonColumnStore();
  const std::int32_t lo = Date::from_ymd(1930, 1, 1)->day_number(), hi = as_of.day_number();
  for (std::size_t i = 0; i < n; ++i) {
    c.sex.push_back(rng() & 1);
    c.birth_day.push_back(lo + static_cast<std::int32_t>(rng() % static_cast<unsigned>(hi - lo)));
    c.hukou_local.push_back(rng() % 8 != 0);
    c.insurance_status.push_back(static_cast<std::uint8_t>(rng() % kInsuranceStatusCount));
    c.employment.push_back(static_cast<std::uint8_t>(rng() % kEmploymentCount));
    c.flags.push_back(rng() % 16 == 0 ? static_cast<std::uint8_t>(1u << (rng() % 6)) : 0);
    c.resident_grade_yuan.push_back(
        c.insurance_status.back() == 1 ? static_cast<std::uint16_t>(100 * (1 + rng() % 30)) : 0);
    if (facts) {
      c.fact_columns[0].push_back(rng() % 10 == 0 ? static_cast<std::int32_t>(1u << (rng() % 5))
                                                  : 0);
      c.fact_columns[1].push_back(rng() % 10 == 0 ? static_cast<std::int32_t>(1 + rng() % 3) : 0);
      c.fact_columns[2].push_back(static_cast<std::int32_t>(rng() % 31));
    }
  }
  return c;
}

std::vector<std::uint64_t> fired_rows(const Recommender& r, Date as_of, const PersonColumns& in,
                                      detail::BatchKernel kernel) {
  KernelGuard guard(kernel);
  std::vector<std::uint8_t> scheme(in.count), actions(in.count), groups(in.count);
  std::vector<std::uint64_t> fired(in.count * static_cast<std::size_t>(r.fired_row_words()), 7);
  r.recommend_batch(
      as_of, in, RecommendationColumns{scheme.data(), actions.data(), groups.data(), fired.data()});
  return fired;
}

void expect_kernels_agree_with_the_trace(const char* file, bool facts) {
  const Date as_of = *Date::from_ymd(2023, 6, 30);
  const Recommender r(
      load_policy_file(std::string(CANBAO_SOURCE_DIR "/examples/policies/") + file));
  ASSERT_EQ(r.fired_row_words(), 1);  // 004: 28 + 9 rows, one word
  const std::size_t n = 1'200'000;
  const PersonColumnStore c = persons(n, as_of, r, facts);
  const PersonColumns in = c.view();
  const std::vector<std::uint64_t> automatic =
      fired_rows(r, as_of, in, detail::BatchKernel::automatic);
  for (const auto kernel : {detail::BatchKernel::portable, detail::BatchKernel::per_person}) {
    const std::vector<std::uint64_t> other = fired_rows(r, as_of, in, kernel);
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_EQ(other[i], automatic[i]) << file << ": person " << i << ", kernel " << int(kernel);
  }
  std::size_t with_rows = 0;
  for (std::size_t i = 0; i < n; i += 97) {
    const Recommendation one = r.recommend(c.person(i), as_of);
    std::uint64_t trace = 0;
    for (const FiredRow& f : one.trace) trace |= std::uint64_t{1} << f.bit;
    ASSERT_EQ(automatic[i], trace) << file << ": person " << i;
    with_rows += trace != 0;
  }
  // Most persons fire a row in each of 004's tables (scheme, groups): the
  // comparison is not over empty sets.
  EXPECT_GT(with_rows, n / 97 / 2);
}

TEST(BatchFiredRows, EveryKernelGivesTheTraceRowsOverOneMillionPersons) {
  expect_kernels_agree_with_the_trace("004-shiyan-2023.json", false);
  expect_kernels_agree_with_the_trace("004-shiyan-2023-retirement.json", false);
}

TEST(BatchFiredRows, GenericKernelsGiveTheTraceRowsOverOneMillionPersons) {
  expect_kernels_agree_with_the_trace("004-shiyan-2023.json", true);
}

}  // namespace
