// `canbao recommend` at 1 M rows by stage (issue 15): the CSV read alone
// (fields as views, UTF-8 checked), the roster read (fields validated into
// persons), evaluation, and the CSV write (reason codes and texts), on 1 and
// on all cores; the whole job end to end; and in the same run two baselines:
// splitting the mapped file at commas and newlines (no checks), and pandas
// doing the same job (benchmarks/pandas_recommend.py: read_csv, the 004 age
// rule with np.select, to_csv). BM_Columns_*: the path `canbao recommend`
// takes for CSV output (roster_columns.hpp: rows read into columns, no
// RosterPerson), read and evaluate + write, next to the stages above.
//   build/benchmarks/bench_cli_roster --benchmark_repetitions=3
// The roster: $CANBAO_BENCH_ROSTER, or scripts/make_roster.py --rows 1000000
// written once to /tmp/canbao-bench-roster-1m.csv.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>
#include <canbao/roster.hpp>
#include <canbao/roster_columns.hpp>

#include "detail/csv.hpp"
#include "detail/mapped_file.hpp"

namespace {

using namespace canbao;

const Date kAsOf = *Date::from_ymd(2023, 6, 30);
const std::string kSource = CANBAO_SOURCE_DIR;

const std::string& roster_path() {
  static const std::string path = [] {
    if (const char* p = std::getenv("CANBAO_BENCH_ROSTER")) return std::string(p);
    const std::string p = "/tmp/canbao-bench-roster-1m.csv";
    if (!std::ifstream(p)) {
      const std::string cmd = "/usr/bin/python3 " + kSource +
                              "/scripts/make_roster.py --rows 1000000 > " + p + ".tmp && mv " + p +
                              ".tmp " + p;
      if (std::system(cmd.c_str()) != 0) throw std::runtime_error("make_roster.py failed");
    }
    return p;
  }();
  return path;
}

const Recommender& recommender() {
  static const Recommender r(load_policy_file(kSource + "/examples/policies/004-shiyan-2023.json"));
  return r;
}

const Roster& roster() {
  static const Roster r = read_roster_file(roster_path(), kAsOf, false, recommender().facts());
  return r;
}

const std::vector<RosterResult>& results() {
  static const std::vector<RosterResult> r = recommend_roster(recommender(), roster(), kAsOf);
  return r;
}

void rows(benchmark::State& state, std::size_t bytes) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(roster().persons.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

// Baseline: the mapped file's fields counted at commas and newlines.
void BM_Baseline_SplitFields(benchmark::State& state) {
  const detail::MappedFile f(roster_path());
  for (auto _ : state) {
    std::size_t fields = 0, lines = 0;
    for (char c : f.bytes()) {
      fields += c == ',';
      lines += c == '\n';
    }
    benchmark::DoNotOptimize(fields + lines);
  }
  rows(state, f.bytes().size());
}

// Stage read: the CSV reader's views (every check of the format, UTF-8).
void BM_Read_CsvViews(benchmark::State& state) {
  const detail::MappedFile f(roster_path());
  for (auto _ : state) {
    detail::CsvReader csv(f.bytes(), "roster.csv");
    csv.read_header();
    detail::CsvFields row;
    std::size_t n = 0;
    while (csv.next_view(row)) n += row.fields.size();
    benchmark::DoNotOptimize(n);
  }
  rows(state, f.bytes().size());
}

// Stage validate: the roster read into persons (ID numbers, dates, lists), mapped.
void BM_Validate_ReadRoster(benchmark::State& state) {
  const unsigned threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    Roster r =
        read_roster_file(roster_path(), kAsOf, false, recommender().facts(), {}, nullptr, threads);
    benchmark::DoNotOptimize(r.persons.data());
  }
  rows(state, detail::MappedFile(roster_path()).bytes().size());
}

void BM_Evaluate(benchmark::State& state) {
  const unsigned threads = static_cast<unsigned>(state.range(0));
  roster();
  for (auto _ : state) {
    auto r = recommend_roster(recommender(), roster(), kAsOf, threads);
    benchmark::DoNotOptimize(r.data());
  }
  rows(state, 0);
}

// Stage write: range(0) threads, range(1) 1 for codes, 0 for texts.
void BM_Write(benchmark::State& state) {
  const unsigned threads = static_cast<unsigned>(state.range(0));
  const RosterReasons reasons = state.range(1) ? RosterReasons::codes : RosterReasons::text;
  results();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream out;
    write_roster_csv(out, recommender(), roster(), results(), reasons, threads);
    bytes = out.str().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes_per_row"] =
      static_cast<double>(bytes) / static_cast<double>(roster().persons.size());
  rows(state, bytes);
}

// The column path, read: validated rows into columns and written-back cells.
void BM_Columns_Read(benchmark::State& state) {
  const unsigned threads = static_cast<unsigned>(state.range(0));
  std::size_t n = 0;
  for (auto _ : state) {
    const RosterColumns c =
        read_roster_columns_file(roster_path(), recommender(), kAsOf, false, {}, threads);
    n = c.size();
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

// The column path, evaluate + write (codes): range(0) threads.
void BM_Columns_EvaluateWrite(benchmark::State& state) {
  const unsigned threads = static_cast<unsigned>(state.range(0));
  static const RosterColumns c =
      read_roster_columns_file(roster_path(), recommender(), kAsOf, false, {}, 0);
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream out;
    c.write_csv(out, RosterReasons::codes, threads);
    bytes = out.str().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes_per_row"] = static_cast<double>(bytes) / static_cast<double>(c.size());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.size()));
}

// `canbao recommend` itself (the CLI next to this benchmark's build), output to a file.
void run_timed(benchmark::State& state, const std::string& cmd) {
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    if (std::system(cmd.c_str()) != 0) {
      state.SkipWithError(("failed: " + cmd).c_str());
      return;
    }
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  rows(state, 0);
}

void BM_EndToEnd_Cli(benchmark::State& state) {
  run_timed(state, std::string(CANBAO_BINARY_DIR) + "/canbao recommend " + kSource +
                       "/examples/policies/004-shiyan-2023.json --roster " + roster_path() +
                       " --as-of 2023-06-30 --quiet --threads " + std::to_string(state.range(0)) +
                       " > /tmp/canbao-bench-out.csv");
}

// Baseline: pandas on the same roster (read_csv, ID check characters, np.select, to_csv).
void BM_Baseline_Pandas(benchmark::State& state) {
  run_timed(state, "PYTHONPATH=" + std::string(CANBAO_BINARY_DIR) + "/python /usr/bin/python3 " +
                       kSource + "/benchmarks/pandas_recommend.py --roster " + roster_path() +
                       " --as-of 2023-06-30 --out /tmp/canbao-bench-pandas.csv");
}

}  // namespace

BENCHMARK(BM_Baseline_SplitFields)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Read_CsvViews)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Validate_ReadRoster)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Evaluate)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Write)->Args({1, 1})->Args({2, 1})->Args({2, 0})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Columns_Read)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Columns_EvaluateWrite)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EndToEnd_Cli)->Arg(1)->Arg(2)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Baseline_Pandas)->UseManualTime()->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
