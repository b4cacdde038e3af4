// Reading a roster as offices produce it (docs/office-data.md): what GB18030
// conversion (iconv, one field at a time) and tab-separated files cost against
// the UTF-8 comma file, and a plain baseline that only splits lines on commas
// (std::getline, no quoting, no validation). Rows are 004's sample roster,
// repeated; the GB18030 copy is made with iconv in the set-up, not timed.
#include <iconv.h>

#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <canbao/date.hpp>
#include <canbao/roster.hpp>
#include <canbao/table_format.hpp>

namespace {

const char* kHeader =
    "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
    "resident_grade_yuan,flags,village\n";
// Two rows in 004's shape; names and villages in Chinese so conversion has work to do.
const char* kRows[] = {
    ",,王建国,male,1980-03-01,true,none,farmer,,,长寿湖村\n",
    ",,刘桂兰,female,1973-01-01,true,none,unemployed,200,dibao,桂湾村\n",
};

std::string utf8_roster(std::size_t n, char delimiter) {
  std::string out = kHeader;
  for (std::size_t i = 0; i < n; ++i) out += "p" + std::to_string(i) + kRows[i % 2];
  if (delimiter != ',') {
    for (char& c : out) {
      if (c == ',') c = delimiter;
    }
  }
  return out;
}

std::string to_gb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv_open");
  std::string out(utf8.size() * 2, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* o = out.data();
  std::size_t out_left = out.size();
  if (iconv(cd, &in, &in_left, &o, &out_left) == static_cast<std::size_t>(-1))
    throw std::runtime_error("iconv");
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

void read(benchmark::State& state, const std::string& text, const canbao::TableFormat& format) {
  const canbao::Date as_of = *canbao::parse_iso_date("2023-06-30");
  for (auto _ : state) {
    std::istringstream in(text);
    canbao::Roster r = canbao::read_roster(in, "bench.csv", as_of, false, {}, format);
    benchmark::DoNotOptimize(r.persons.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_ReadRosterUtf8Comma(benchmark::State& state) {
  read(state, utf8_roster(static_cast<std::size_t>(state.range(0)), ','), {});
}

void BM_ReadRosterUtf8Tab(benchmark::State& state) {
  read(state, utf8_roster(static_cast<std::size_t>(state.range(0)), '\t'), {});
}

void BM_ReadRosterGb18030(benchmark::State& state) {
  canbao::TableFormat format;
  format.encoding = canbao::TextEncoding::gb18030;
  read(state, to_gb18030(utf8_roster(static_cast<std::size_t>(state.range(0)), ',')), format);
}

// The plain baseline: lines split on commas into strings, nothing checked.
void BM_BaselineSplitLines(benchmark::State& state) {
  const std::string text = utf8_roster(static_cast<std::size_t>(state.range(0)), ',');
  for (auto _ : state) {
    std::istringstream in(text);
    std::string line;
    std::vector<std::vector<std::string>> rows;
    while (std::getline(in, line)) {
      std::vector<std::string> fields;
      std::size_t start = 0;
      for (std::size_t i = 0; i <= line.size(); ++i) {
        if (i == line.size() || line[i] == ',') {
          fields.push_back(line.substr(start, i - start));
          start = i + 1;
        }
      }
      rows.push_back(std::move(fields));
    }
    benchmark::DoNotOptimize(rows.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

}  // namespace

BENCHMARK(BM_BaselineSplitLines)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadRosterUtf8Comma)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadRosterUtf8Tab)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadRosterGb18030)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
