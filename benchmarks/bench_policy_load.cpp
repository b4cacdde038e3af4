// Loading and validating a national policy (issue 15, `canbao validate`):
// example 000's rules with N villages (31 provinces, counties of 10 towns,
// towns of 17 villages, two targets a village, as scripts/make_national.py),
// the units inline or in a unit table (docs/units-table.md). Baselines in the
// same run: nlohmann::json::parse of the same inline document alone, and a
// plain scan of the table's lines.
//
//   build/bench_policy_load --benchmark_filter='/7000'      (CI size)
//   build/bench_policy_load --benchmark_filter='/700000'    (the size; ~2 GB inline)
#include <benchmark/benchmark.h>

#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include <canbao/policy.hpp>
#include <canbao/policy_check.hpp>

namespace {

struct National {
  std::string inline_text;  // the policy with its units inline
  std::string table_text;   // the policy naming units.csv
  canbao::PolicyFiles files;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const National& national(int villages) {
  static std::map<int, National> made;
  auto it = made.find(villages);
  if (it != made.end()) return it->second;
  nlohmann::json doc = nlohmann::json::parse(
      read_file(std::string(CANBAO_SOURCE_DIR) + "/examples/policies/000-xx-town-2021.json"));
  doc["campaign"]["id"] = "national-2021";
  for (auto& m : doc["milestones"])
    if (m["scope"].is_object() && m["scope"].contains("units"))
      m["scope"] = {{"units", {"nation"}}};
  std::string units = "[";
  std::string csv = "id,name,level,parent,target.resident_enrolled,target.resident_paid\n";
  const auto add = [&](const std::string& id, const std::string& name, const char* level,
                       const std::string& parent, long enrolled, long paid) {
    if (units.size() > 1) units += ',';
    units += "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"level\":\"" + level + "\"";
    if (!parent.empty()) units += ",\"parent\":\"" + parent + "\"";
    if (enrolled >= 0)
      units += ",\"targets\":{\"resident_enrolled\":" + std::to_string(enrolled) +
               ",\"resident_paid\":" + std::to_string(paid) + "}";
    units += '}';
    csv += id + "," + name + "," + level + "," + parent + "," +
           (enrolled >= 0 ? std::to_string(enrolled) + "," + std::to_string(paid) : ",") + "\n";
  };
  const int towns = (villages + 16) / 17;
  const int counties = (towns + 9) / 10;
  const int provinces = counties < 31 ? counties : 31;
  add("nation", "全国", "nation", "", -1, -1);
  for (int p = 0; p < provinces; ++p)
    add("p" + std::to_string(p), "省" + std::to_string(p), "province", "nation", -1, -1);
  int village = 0;
  unsigned seed = 15;
  for (int c = 0; c < counties && village < villages; ++c) {
    add("c" + std::to_string(c), "县" + std::to_string(c), "county",
        "p" + std::to_string(c % provinces), -1, -1);
    for (int t = c * 10; t < towns && t < (c + 1) * 10 && village < villages; ++t) {
      add("t" + std::to_string(t), "镇" + std::to_string(t), "town", "c" + std::to_string(c), -1,
          -1);
      for (int k = 0; k < 17 && village < villages; ++k, ++village) {
        seed = seed * 1103515245u + 12345u;
        const long enrolled = 400 + static_cast<long>((seed >> 8) % 2601);
        add("v" + std::to_string(village), "村" + std::to_string(village), "village",
            "t" + std::to_string(t), enrolled,
            enrolled * (70 + static_cast<long>(seed % 26)) / 100);
      }
    }
  }
  units += ']';
  National n;
  doc["units"] = nlohmann::json::array();
  std::string head = doc.dump();
  const std::string slot = "\"units\":[]";
  const auto at = head.find(slot);
  n.inline_text = head.substr(0, at) + "\"units\":" + units + head.substr(at + slot.size());
  doc["units"] = {{"table", "units.csv"}};
  n.table_text = doc.dump();
  n.files.tables["units.csv"] = std::move(csv);
  return made.emplace(villages, std::move(n)).first->second;
}

void set_counters(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["villages"] = static_cast<double>(state.range(0));
}

// Baseline: nlohmann's DOM of the inline document, nothing else.
void BM_JsonParseBaseline(benchmark::State& state) {
  const National& n = national(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann::json::parse(n.inline_text));
  set_counters(state, n.inline_text.size());
}

// Baseline: the table's lines and fields counted (a plain memchr scan).
void BM_CsvScanBaseline(benchmark::State& state) {
  const National& n = national(static_cast<int>(state.range(0)));
  const std::string& csv = n.files.tables.at("units.csv");
  for (auto _ : state) {
    std::size_t fields = 0;
    for (const char* p = csv.data();
         (p = static_cast<const char*>(std::memchr(p, ',', csv.data() + csv.size() - p))); ++p)
      ++fields;
    benchmark::DoNotOptimize(fields);
  }
  set_counters(state, csv.size());
}

void BM_LoadInline(benchmark::State& state) {
  const National& n = national(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(canbao::load_policy(n.inline_text));
  set_counters(state, n.inline_text.size());
}

void BM_ValidateInline(benchmark::State& state) {
  const National& n = national(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const canbao::PolicyCheck c = canbao::check_policy_text(n.inline_text);
    if (!c.policy) state.SkipWithError("the inline policy does not validate");
  }
  set_counters(state, n.inline_text.size());
}

void BM_LoadTable(benchmark::State& state) {
  const National& n = national(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(canbao::load_policy(n.table_text, n.files));
  set_counters(state, n.files.tables.at("units.csv").size());
}

void BM_ValidateTable(benchmark::State& state) {
  const National& n = national(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const canbao::PolicyCheck c =
        canbao::check_policy_text(n.table_text, canbao::CheckOptions{}, "policy", n.files);
    if (!c.policy) state.SkipWithError("the tabled policy does not validate");
  }
  set_counters(state, n.files.tables.at("units.csv").size());
}

void sizes(benchmark::internal::Benchmark* b) {
  b->Arg(7000)->Arg(700000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
}

BENCHMARK(BM_JsonParseBaseline)->Apply(sizes);
BENCHMARK(BM_LoadInline)->Apply(sizes);
BENCHMARK(BM_ValidateInline)->Apply(sizes);
BENCHMARK(BM_CsvScanBaseline)->Apply(sizes);
BENCHMARK(BM_LoadTable)->Apply(sizes);
BENCHMARK(BM_ValidateTable)->Apply(sizes);

}  // namespace

BENCHMARK_MAIN();
