// fired_rows from every batch kernel (issue 15: the fired-row set's id rides
// in the packed answer, and large runs stream the words past the caches):
// 1.2 million persons, over the 2^20 at which the AVX2 kernel streams, run
// through each kernel (detail::set_batch_kernel) must give word-for-word the
// same fired_rows, and every 97th person's words must be the one-person
// trace's rows (Recommendation::trace, bit = global row number). A policy
// with over 256 distinct fired sets takes the kernels' other path (a word per
// answer) and is checked the same way.
#include <canbao/batch.hpp>
#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/recommender.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "detail/batch_hooks.hpp"

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace canbao;

struct KernelGuard {
  explicit KernelGuard(detail::BatchKernel k) { detail::set_batch_kernel(k); }
  ~KernelGuard() { detail::set_batch_kernel(detail::BatchKernel::automatic); }
};

// 004's persons (benchmarks/bench_recommend.cpp's mix); with `facts`, random
// values of 004's declared facts (g2_groups bits, suspended_scheme, prior years);
// with `any_flags`, every flag combination alike.
PersonColumnStore persons(std::size_t n, Date as_of, const Recommender& r, bool facts,
                          bool any_flags) {
  std::mt19937 rng(15);
  PersonColumnStore c = facts ? PersonColumnStore(r.facts()) : PersonColumnStore();
  const std::int32_t lo = Date::from_ymd(1930, 1, 1)->day_number(), hi = as_of.day_number();
  for (std::size_t i = 0; i < n; ++i) {
    c.sex.push_back(rng() & 1);
    c.birth_day.push_back(lo + static_cast<std::int32_t>(rng() % static_cast<unsigned>(hi - lo)));
    c.hukou_local.push_back(rng() % 8 != 0);
    c.insurance_status.push_back(static_cast<std::uint8_t>(rng() % kInsuranceStatusCount));
    c.employment.push_back(static_cast<std::uint8_t>(rng() % kEmploymentCount));
    c.flags.push_back(any_flags         ? static_cast<std::uint8_t>(rng() % 64)
                      : rng() % 16 == 0 ? static_cast<std::uint8_t>(1u << (rng() % 6))
                                        : 0);
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

// fired_rows from `kernel`; with the narrow fired_set column too when the
// prepared tables number the sets (checked: each person's set is their words).
std::vector<std::uint64_t> fired_rows(const Recommender& r, Date as_of, const PersonColumns& in,
                                      detail::BatchKernel kernel,
                                      std::vector<std::uint8_t>* numbers = nullptr) {
  KernelGuard guard(kernel);
  std::vector<std::uint8_t> scheme(in.count), actions(in.count), groups(in.count);
  std::vector<std::uint64_t> fired(in.count * static_cast<std::size_t>(r.fired_row_words()), 7);
  RecommendationColumns out{scheme.data(), actions.data(), groups.data(), fired.data()};
  const auto prepared = r.prepared(as_of);
  std::vector<std::uint8_t> set(in.count, 0xEE);
  if (prepared->has_fired_sets()) out.fired_set = set.data();
  r.recommend_batch(as_of, in, out);
  if (!prepared->has_fired_sets()) return fired;
  const std::size_t words = prepared->fired_row_words(), count = prepared->fired_set_count();
  EXPECT_EQ(words, static_cast<std::size_t>(r.fired_row_words()));
  for (std::size_t i = 0; i < in.count; ++i) {
    const bool same =
        set[i] < count && std::equal(fired.begin() + static_cast<std::ptrdiff_t>(i * words),
                                     fired.begin() + static_cast<std::ptrdiff_t>((i + 1) * words),
                                     prepared->fired_set_words(set[i]));
    EXPECT_TRUE(same) << "person " << i << ": fired_set " << int(set[i]) << " of " << count
                      << ", kernel " << int(kernel);
    if (!same) break;
  }
  if (numbers) *numbers = std::move(set);
  return fired;
}

// Returns the number of distinct fired-row words.
std::size_t expect_kernels_agree_with_the_trace(const Recommender& r, const char* file, bool facts,
                                                bool any_flags = false) {
  const Date as_of = *Date::from_ymd(2023, 6, 30);
  EXPECT_EQ(r.fired_row_words(), 1);  // under 64 rows: one word a person
  const std::size_t n = 1'200'000;
  const PersonColumnStore c = persons(n, as_of, r, facts, any_flags);
  const PersonColumns in = c.view();
  std::vector<std::uint8_t> automatic_sets;
  const std::vector<std::uint64_t> automatic =
      fired_rows(r, as_of, in, detail::BatchKernel::automatic, &automatic_sets);
  for (const auto kernel : {detail::BatchKernel::portable, detail::BatchKernel::per_person}) {
    std::vector<std::uint8_t> sets;
    const std::vector<std::uint64_t> other = fired_rows(r, as_of, in, kernel, &sets);
    // One numbering, whichever kernel writes it.
    EXPECT_TRUE(sets == automatic_sets) << file << ": fired_set differs, kernel " << int(kernel);
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_EQ(other[i], automatic[i]) << file << ": person " << i << ", kernel " << int(kernel);
      if (other[i] != automatic[i]) return 0;
    }
  }
  std::size_t with_rows = 0;
  for (std::size_t i = 0; i < n; i += 97) {
    const Recommendation one = r.recommend(c.person(i), as_of);
    std::uint64_t trace = 0;
    for (const FiredRow& f : one.trace) trace |= std::uint64_t{1} << f.bit;
    EXPECT_EQ(automatic[i], trace) << file << ": person " << i;
    if (automatic[i] != trace) return 0;
    with_rows += trace != 0;
  }
  // Most persons fire a row in each of 004's tables (scheme, groups): the
  // comparison is not over empty sets.
  EXPECT_GT(with_rows, n / 97 / 2);
  return std::set<std::uint64_t>(automatic.begin(), automatic.end()).size();
}

std::size_t expect_kernels_agree_with_the_trace(const char* file, bool facts) {
  const Recommender r(
      load_policy_file(std::string(CANBAO_SOURCE_DIR "/examples/policies/") + file));
  return expect_kernels_agree_with_the_trace(r, file, facts);
}

TEST(BatchFiredRows, EveryKernelGivesTheTraceRowsOverOneMillionPersons) {
  expect_kernels_agree_with_the_trace("004-shiyan-2023.json", false);
  expect_kernels_agree_with_the_trace("004-shiyan-2023-retirement.json", false);
}

TEST(BatchFiredRows, GenericKernelsGiveTheTraceRowsOverOneMillionPersons) {
  expect_kernels_agree_with_the_trace("004-shiyan-2023.json", true);
}

TEST(BatchFiredSet, NumbersTheSetsOnceForEveryKernel) {
  const Recommender r(
      load_policy_file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json"));
  const Date as_of = *Date::from_ymd(2023, 6, 30);
  const auto prepared = r.prepared(as_of);
  ASSERT_TRUE(prepared->has_fired_sets()) << prepared->fired_sets_reason();
  EXPECT_EQ(prepared->fired_sets_reason(), "");
  const std::size_t count = prepared->fired_set_count();
  EXPECT_GT(count, 1u);
  EXPECT_LE(count, 256u);
  EXPECT_THROW(prepared->fired_set_words(count), ArgumentError);
  // 004 declares facts: with fact columns the generic tables run, without
  // them the tables at defaults, in the same numbering.
  const PersonColumnStore c = persons(20'000, as_of, r, true, false);
  PersonColumns no_facts = c.view();
  no_facts.facts = nullptr;
  no_facts.fact_count = 0;
  for (const auto kernel : {detail::BatchKernel::automatic, detail::BatchKernel::portable,
                            detail::BatchKernel::per_person}) {
    std::vector<std::uint8_t> with, without;
    fired_rows(r, as_of, c.view(), kernel, &with);
    fired_rows(r, as_of, no_facts, kernel, &without);
    EXPECT_EQ(with.size(), c.sex.size());
    EXPECT_EQ(without.size(), c.sex.size());
  }
  // Only the narrow column: the same numbers as with both.
  std::vector<std::uint8_t> both;
  fired_rows(r, as_of, c.view(), detail::BatchKernel::automatic, &both);
  std::vector<std::uint8_t> scheme(c.sex.size()), actions(c.sex.size()), groups(c.sex.size()),
      only(c.sex.size(), 0xEE);
  RecommendationColumns out{scheme.data(), actions.data(), groups.data()};
  out.fired_set = only.data();
  prepared->run(c.view(), out);
  EXPECT_TRUE(only == both);
}

TEST(BatchFiredRows, OverTwoHundredFiftySixFiredSetsTakeTheWordTables) {
  // 004 with its tables replaced: a first-hit table with a row per employment
  // but the last (9 outcomes, `otherwise` included) and a collect table with a
  // row per flag (2^6 = 64 subsets): 9 x 64 = 576 sets, over the 256 that fit
  // the packed answer's spare byte.
  std::ifstream file(CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json");
  nlohmann::json doc = nlohmann::json::parse(file);
  nlohmann::json scheme = {{"id", "scheme"}, {"hit", "first"}, {"rows", nlohmann::json::array()}};
  for (const char* e : {"employer", "individual_business", "platform_worker", "licensed_freelancer",
                        "farmer", "student", "unemployed", "public_sector"}) {
    scheme["rows"].push_back({{"when", {{"employment", {e}}}},
                              {"then", {{"scheme", "resident"}}},
                              {"reason", {{"zh", e}, {"en", e}}}});
  }
  scheme["otherwise"] = {{"then", {{"scheme", "none"}}},
                         {"reason", {{"zh", "其他"}, {"en", "other"}}}};
  nlohmann::json groups = {{"id", "groups"}, {"hit", "collect"}, {"rows", nlohmann::json::array()}};
  int g = 1;
  for (const char* f : {"dibao", "tekun", "severe_disability", "poverty_alleviated",
                        "land_expropriated", "village_cadre"}) {
    groups["rows"].push_back({{"when", {{"flags_any", {f}}}},
                              {"then", {{"groups", {"g" + std::to_string(g++)}}}},
                              {"reason", {{"zh", f}, {"en", f}}}});
  }
  doc["recommendation"] = {{"tables", {scheme, groups}}};
  const Recommender r(load_policy(doc.dump(), "576-sets"));
  // Too many sets for the one-byte fired_set column: refused, naming the
  // limit. The table holds one set more than persons reach: the empty set
  // of its entries for birth days out of range (never answered: an InputError).
  const auto prepared = r.prepared(*Date::from_ymd(2023, 6, 30));
  EXPECT_FALSE(prepared->has_fired_sets());
  EXPECT_EQ(prepared->fired_sets_reason(),
            "its answer table has 577 distinct fired-row sets, over 256 (fired_set is one byte a "
            "person)");
  EXPECT_THROW(prepared->fired_set_count(), ArgumentError);
  {
    const PersonColumnStore c = persons(10, prepared->as_of(), r, false, true);
    std::vector<std::uint8_t> b(10), set(10);
    RecommendationColumns out{b.data(), b.data(), b.data()};
    out.fired_set = set.data();
    try {
      prepared->run(c.view(), out);
      ADD_FAILURE() << "fired_set over 256 sets did not throw";
    } catch (const ArgumentError& e) {
      EXPECT_EQ(std::string(e.what()),
                "fired_set: no fired-set numbers on 2023-06-30: its answer table has 577 distinct "
                "fired-row sets, over 256 (fired_set is one byte a person); ask for fired_rows");
    }
  }
  EXPECT_EQ(expect_kernels_agree_with_the_trace(r, "576-sets", false, true), 576u);
  EXPECT_EQ(expect_kernels_agree_with_the_trace(r, "576-sets", true, true), 576u);
}

}  // namespace
