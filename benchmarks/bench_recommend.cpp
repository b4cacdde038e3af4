// Batch recommendation vs the straightforward one-person evaluation, on the
// 004 policy (age rule) and its retirement-derived variant. Items are persons.
// "with_facts" runs fill 004's declared facts (g2_groups, suspended_scheme,
// prior_contribution_years) with columns: the generic kernels; the other runs
// give no fact columns, so every fact takes its default (the fixed-field
// kernels, as for rosters that predate the facts).
//   build-*/benchmarks/bench_recommend --benchmark_filter=10M
#include <benchmark/benchmark.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <canbao/batch.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/recommender.hpp>

#include "detail/batch_hooks.hpp"

namespace {

using namespace canbao;

const Date kAsOf = *Date::from_ymd(2023, 6, 30);

// The example policies, under the source folder CMake names (CANBAO_SOURCE_DIR).
std::string example(const std::string& name) {
  return std::string(CANBAO_SOURCE_DIR) + "/examples/policies/" + name;
}

// Held for the whole run, as callers should: it keeps the prepared tables.
const Recommender& recommender(int which) {
  static const Recommender age(load_policy_file(example("004-shiyan-2023.json")));
  static const Recommender ret(load_policy_file(example("004-shiyan-2023-retirement.json")));
  return which == 1 || which == 3 ? ret : age;  // 2, 3: with fact columns
}

struct Synthetic : PersonColumnStore {
  std::vector<std::uint8_t> scheme, actions, groups;
  std::vector<std::uint64_t> fired;     // sized on first use by BM_BatchFired
  std::vector<std::uint8_t> fired_set;  // by BM_BatchFiredSet
  // facts: 0 none, 2 the 004 policy's, 3 the retirement variant's.
  explicit Synthetic(std::size_t n, int with_facts = 0) {
    std::mt19937 rng(42);
    const std::int32_t lo = Date::from_ymd(1930, 1, 1)->day_number(), hi = kAsOf.day_number();
    for (std::size_t i = 0; i < n; ++i) {
      sex.push_back(rng() & 1);
      birth_day.push_back(lo + static_cast<std::int32_t>(rng() % static_cast<unsigned>(hi - lo)));
      hukou_local.push_back(rng() % 8 != 0);
      insurance_status.push_back(static_cast<std::uint8_t>(rng() % kInsuranceStatusCount));
      employment.push_back(static_cast<std::uint8_t>(rng() % kEmploymentCount));
      flags.push_back(rng() % 16 == 0 ? static_cast<std::uint8_t>(1u << (rng() % 6)) : 0);
      resident_grade_yuan.push_back(
          insurance_status.back() == 1 ? static_cast<std::uint16_t>(100 * (1 + rng() % 30)) : 0);
    }
    if (with_facts) {
      // 004's facts in declaration order: a few in g2's groups, one in ten
      // suspended somewhere, prior years 0..30.
      static_cast<PersonColumnStore&>(*this) = [&] {
        PersonColumnStore s(recommender(with_facts).facts());
        s.sex = sex, s.birth_day = birth_day, s.hukou_local = hukou_local;
        s.insurance_status = insurance_status, s.employment = employment, s.flags = flags;
        s.resident_grade_yuan = resident_grade_yuan;
        return s;
      }();
      for (std::size_t i = 0; i < n && with_facts == 3; ++i) {
        // 工人 or 干部; employee-scheme years already paid 0..30.
        fact_columns[0].push_back(static_cast<std::int32_t>(rng() % 2));
        fact_columns[1].push_back(static_cast<std::int32_t>(rng() % 31));
      }
      for (std::size_t i = 0; i < n && with_facts == 2; ++i) {
        fact_columns[0].push_back(rng() % 10 == 0 ? static_cast<std::int32_t>(1u << (rng() % 5))
                                                  : 0);
        fact_columns[1].push_back(rng() % 10 == 0 ? static_cast<std::int32_t>(1 + rng() % 3) : 0);
        fact_columns[2].push_back(static_cast<std::int32_t>(rng() % 31));
      }
    }
    scheme.resize(n);
    actions.resize(n);
    groups.resize(n);
  }
  PersonColumns in() const { return view(); }
};

// Policy argument 2: the 004 policy (0) over persons with its fact columns.
const Synthetic& data(std::size_t n, int which = 0) {
  if (which == 2) {
    static Synthetic with_facts(10'000'000, 2);
    return with_facts;
  }
  if (which == 3) {
    static Synthetic retirement_facts(10'000'000, 3);
    return retirement_facts;
  }
  // Made on first use: the 1M cases once ran on the 10M persons while
  // counting 1M items, reading 10x slower than they were.
  if (n == 1000) {
    static Synthetic small(1000);
    return small;
  }
  if (n == 1'000'000) {
    static Synthetic million(1'000'000);
    return million;
  }
  if (n != 10'000'000)
    throw std::invalid_argument("bench_recommend: no synthetic roster of this size");
  static Synthetic big(10'000'000);
  return big;
}

// The batch path as callers use it: Recommender::recommend_batch, whose
// prepared cut-offs it keeps per as-of date (made in the first iteration,
// then reused).
void BM_Batch(benchmark::State& state) {
  const Synthetic& d =
      data(static_cast<std::size_t>(state.range(0)), static_cast<int>(state.range(1)));
  auto& out = const_cast<Synthetic&>(d);
  for (auto _ : state) {
    recommender(static_cast<int>(state.range(1)))
        .recommend_batch(kAsOf, d.in(),
                         RecommendationColumns{out.scheme.data(), out.actions.data(),
                                               out.groups.data(), nullptr});
    benchmark::DoNotOptimize(out.scheme.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The batch path with a slower kernel forced (range 2: detail::BatchKernel):
// portable (what machines without AVX2 run) and per_person (what policies
// too big for an answer table run).
void BM_BatchKernel(benchmark::State& state) {
  const Synthetic& d =
      data(static_cast<std::size_t>(state.range(0)), static_cast<int>(state.range(1)));
  auto& out = const_cast<Synthetic&>(d);
  detail::set_batch_kernel(static_cast<detail::BatchKernel>(state.range(2)));
  for (auto _ : state) {
    recommender(static_cast<int>(state.range(1)))
        .recommend_batch(kAsOf, d.in(),
                         RecommendationColumns{out.scheme.data(), out.actions.data(),
                                               out.groups.data(), nullptr});
    benchmark::DoNotOptimize(out.scheme.data());
    benchmark::ClobberMemory();
  }
  detail::set_batch_kernel(detail::BatchKernel::automatic);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The batch path with fired_rows (one word a person: 004's rules have at
// most 64 rows), the kernel as chosen (range 2 = 0) or forced (detail::BatchKernel);
// compare with Batch/10M/... in the same run: issue 15 asks fired_rows to cost < 30 %.
void BM_BatchFired(benchmark::State& state) {
  const Synthetic& d =
      data(static_cast<std::size_t>(state.range(0)), static_cast<int>(state.range(1)));
  auto& out = const_cast<Synthetic&>(d);
  const Recommender& r = recommender(static_cast<int>(state.range(1)));
  out.fired.resize(d.sex.size() * static_cast<std::size_t>(r.fired_row_words()));
  detail::set_batch_kernel(static_cast<detail::BatchKernel>(state.range(2)));
  for (auto _ : state) {
    r.recommend_batch(kAsOf, d.in(),
                      RecommendationColumns{out.scheme.data(), out.actions.data(),
                                            out.groups.data(), out.fired.data()});
    benchmark::DoNotOptimize(out.fired.data());
    benchmark::ClobberMemory();
  }
  detail::set_batch_kernel(detail::BatchKernel::automatic);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The batch path with the narrow fired_set column (one byte a person, the
// number of the fired-row set: PreparedRecommendation::fired_set_words), the
// kernel as chosen or forced; compare with Batch/... and BatchFired/... in
// the same run (issue 15: < 30 %).
void BM_BatchFiredSet(benchmark::State& state) {
  const Synthetic& d =
      data(static_cast<std::size_t>(state.range(0)), static_cast<int>(state.range(1)));
  auto& out = const_cast<Synthetic&>(d);
  const Recommender& r = recommender(static_cast<int>(state.range(1)));
  out.fired_set.resize(d.sex.size());
  detail::set_batch_kernel(static_cast<detail::BatchKernel>(state.range(2)));
  for (auto _ : state) {
    RecommendationColumns columns{out.scheme.data(), out.actions.data(), out.groups.data()};
    columns.fired_set = out.fired_set.data();
    r.recommend_batch(kAsOf, d.in(), columns);
    benchmark::DoNotOptimize(out.fired_set.data());
    benchmark::ClobberMemory();
  }
  detail::set_batch_kernel(detail::BatchKernel::automatic);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The batch path preparing the cut-offs on every call (a new as-of date each
// time, or the cache bypassed): prepare + kernel.
void BM_BatchPrepareEachCall(benchmark::State& state) {
  const Synthetic& d = data(static_cast<std::size_t>(state.range(0)));
  auto& out = const_cast<Synthetic&>(d);
  const Recommender& r = recommender(static_cast<int>(state.range(1)));
  for (auto _ : state) {
    PreparedRecommendation(r, kAsOf).run(
        d.in(),
        RecommendationColumns{out.scheme.data(), out.actions.data(), out.groups.data(), nullptr});
    benchmark::DoNotOptimize(out.scheme.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The prepare step alone; items are prepared tables.
void BM_Prepare(benchmark::State& state) {
  const Recommender& r = recommender(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    PreparedRecommendation prepared(r, kAsOf);
    benchmark::DoNotOptimize(&prepared);
  }
  state.SetItemsProcessed(state.iterations());
}

// The straightforward path: Recommender::recommend per person (derived facts,
// every row's condition, a trace) over the same columns.
void BM_PerPerson(benchmark::State& state) {
  const Synthetic& d = data(static_cast<std::size_t>(state.range(0)));
  auto& out = const_cast<Synthetic&>(d);
  const Recommender& r = recommender(static_cast<int>(state.range(1)));
  const std::size_t n = static_cast<std::size_t>(state.range(2));  // persons per iteration
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) {
      const Person person = d.person(i);
      const Recommendation rec = r.recommend(person, kAsOf);
      out.scheme[i] = static_cast<std::uint8_t>(rec.scheme);
      out.actions[i] = rec.actions;
      out.groups[i] = rec.groups;
    }
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

}  // namespace

// args: persons, policy (0 = age rule, 1 = retirement-derived)
BENCHMARK(BM_Batch)
    ->Name("Batch/10M/age_rule")
    ->Args({10'000'000, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Batch)
    ->Name("Batch/10M/retirement_rule")
    ->Args({10'000'000, 1})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Batch)
    ->Name("Batch/10M/age_rule_with_facts")
    ->Args({10'000'000, 2})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Batch)
    ->Name("Batch/10M/retirement_rule_with_facts")
    ->Args({10'000'000, 3})
    ->Unit(benchmark::kMillisecond);
// issue 15 at 1 M persons: none, fired_rows, fired_set, back to back.
BENCHMARK(BM_Batch)->Name("Batch/1M/age_rule")->Args({1'000'000, 0})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchFired)
    ->Name("BatchFired/1M/age_rule")
    ->Args({1'000'000, 0, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchFiredSet)
    ->Name("BatchFiredSet/1M/age_rule")
    ->Args({1'000'000, 0, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchFiredSet)
    ->Name("BatchFiredSet/10M/age_rule")
    ->Args({10'000'000, 0, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchFiredSet)
    ->Name("BatchFiredSet/10M/retirement_rule")
    ->Args({10'000'000, 1, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchFiredSet)
    ->Name("BatchFiredSet/10M/age_rule_with_facts")
    ->Args({10'000'000, 2, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchFiredSet)
    ->Name("BatchFiredSetPortable/10M/age_rule")
    ->Args({10'000'000, 0, static_cast<int>(detail::BatchKernel::portable)})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchFired)
    ->Name("BatchFired/10M/age_rule")
    ->Args({10'000'000, 0, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchFired)
    ->Name("BatchFired/10M/retirement_rule")
    ->Args({10'000'000, 1, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchFired)
    ->Name("BatchFired/10M/age_rule_with_facts")
    ->Args({10'000'000, 2, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchFired)
    ->Name("BatchFiredPortable/10M/age_rule")
    ->Args({10'000'000, 0, static_cast<int>(detail::BatchKernel::portable)})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchFired)
    ->Name("BatchFiredPerPerson/10M/age_rule")
    ->Args({10'000'000, 0, 3 /* detail::BatchKernel::per_person */})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchKernel)
    ->Name("BatchPortable/10M/retirement_rule_with_facts")
    ->Args({10'000'000, 3, static_cast<int>(detail::BatchKernel::portable)})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchKernel)
    ->Name("BatchPerPerson/10M/age_rule_with_facts")
    ->Args({10'000'000, 2, 3 /* detail::BatchKernel::per_person */})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchKernel)
    ->Name("BatchPortable/10M/age_rule_with_facts")
    ->Args({10'000'000, 2, static_cast<int>(detail::BatchKernel::portable)})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchKernel)
    ->Name("BatchPortable/10M/age_rule")
    ->Args({10'000'000, 0, static_cast<int>(detail::BatchKernel::portable)})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchKernel)
    ->Name("BatchPerPerson/10M/age_rule")
    ->Args({10'000'000, 0, 3 /* detail::BatchKernel::per_person */})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchPrepareEachCall)
    ->Name("BatchPrepareEachCall/10M/age_rule")
    ->Args({10'000'000, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchPrepareEachCall)
    ->Name("BatchPrepareEachCall/10M/retirement_rule")
    ->Args({10'000'000, 1})
    ->Unit(benchmark::kMillisecond);
// The per-person path over the first 1M of the same 10M persons (10M takes too long to repeat).
BENCHMARK(BM_PerPerson)
    ->Name("PerPerson/10M/age_rule")
    ->Args({10'000'000, 0, 1'000'000})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PerPerson)
    ->Name("PerPerson/10M/retirement_rule")
    ->Args({10'000'000, 1, 1'000'000})
    ->Unit(benchmark::kMillisecond);
// Small calls: with the policy's cache the kernel's speed; preparing each
// call, the prepare dominates.
BENCHMARK(BM_Batch)->Name("Batch/1000/age_rule")->Args({1000, 0});
BENCHMARK(BM_Batch)->Name("Batch/1000/retirement_rule")->Args({1000, 1});
BENCHMARK(BM_BatchPrepareEachCall)->Name("BatchPrepareEachCall/1000/age_rule")->Args({1000, 0});
BENCHMARK(BM_BatchPrepareEachCall)
    ->Name("BatchPrepareEachCall/1000/retirement_rule")
    ->Args({1000, 1});
BENCHMARK(BM_Prepare)->Name("Prepare/age_rule")->Args({0});
BENCHMARK(BM_Prepare)->Name("Prepare/retirement_rule")->Args({1});
BENCHMARK(BM_PerPerson)->Name("PerPerson/1000/age_rule")->Args({1000, 0, 1000});

BENCHMARK_MAIN();
