// Work split over the machine's cores (issue 15: a 1 M-row roster on 2
// cores). Each part writes only its own results; the caller joins them in
// part order, so the output never depends on the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <string_view>
#include <thread>
#include <vector>

namespace canbao::detail {

// The threads to use: `asked`, or the machine's cores when 0.
inline unsigned thread_count(unsigned asked) {
  if (asked > 0) return asked;
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? n : 1;
}

// Runs fn(i) for each part i in [0, parts), part 0 on the calling thread.
// An exception of a part is rethrown after all have finished: the one of the
// lowest part, as a sequential run would meet first.
template <class Fn>
void run_parts(std::size_t parts, Fn fn) {
  std::vector<std::exception_ptr> errors(parts);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < parts; ++i) {
    threads.emplace_back([&errors, &fn, i] {
      try {
        fn(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  }
  if (parts > 0) {
    try {
      fn(std::size_t{0});
    } catch (...) {
      errors[0] = std::current_exception();
    }
  }
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// `n` items cut into `parts` near-equal ranges: [begin(i), begin(i + 1)).
inline std::size_t part_begin(std::size_t n, std::size_t parts, std::size_t i) {
  return n / parts * i + (i < n % parts ? i : n % parts);
}

// Quotes and line feeds in [begin, end), eight bytes a step: each byte
// that matches adds 1 to its lane of a word of eight byte counters, summed
// before a lane can overflow.
struct ByteCounts {
  std::size_t quotes = 0, lines = 0;
};
inline std::uint64_t matching_bytes(std::uint64_t word, std::uint64_t pattern) {
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  const std::uint64_t x = word ^ pattern;  // a zero byte where the byte matches
  return (~(((x & kLow7) + kLow7) | x) >> 7) & 0x0101010101010101ull;  // 1 per match
}
inline std::size_t lane_sum(std::uint64_t lanes) {
  return static_cast<std::size_t>((lanes * 0x0101010101010101ull) >> 56);
}
inline ByteCounts count_bytes(const char* p, const char* end) {
  ByteCounts n;
  while (static_cast<std::size_t>(end - p) >= 8) {
    std::uint64_t quotes = 0, lines = 0;
    for (int k = 0; k < 255 && static_cast<std::size_t>(end - p) >= 8; ++k, p += 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      quotes += matching_bytes(w, 0x2222222222222222ull);
      lines += matching_bytes(w, 0x0A0A0A0A0A0A0A0Aull);
    }
    n.quotes += lane_sum(quotes);
    n.lines += lane_sum(lines);
  }
  for (; p != end; ++p) {
    n.quotes += *p == '"';
    n.lines += *p == '\n';
  }
  return n;
}

// The records of CSV text after its header in `parts` pieces, each starting
// a record, and the line before each: cut after a LF outside quotes (the
// parity of the quotes before it; a stray quote makes a piece fail to read,
// and the caller then reads sequentially). The bytes are counted in
// parallel, one region a thread; only the few bytes from a region's start
// to its cut are scanned after. end_line: the line of the last LF.
// `counted(b, e)`, when given, is told of each few MB counted (a mapped
// file gives their pages back: the count must not hold a GB at once).
struct RecordPieces {
  std::vector<std::string_view> rows;
  std::vector<std::size_t> first_line;  // the line before each piece's first record
  std::size_t end_line = 0;
  // At most how many records piece i holds: one per LF (a piece cut before
  // the end ends just after one), and one more in a piece that reaches the
  // end of the input (its final line may have none).
  std::size_t max_records(std::size_t i) const {
    const std::size_t lfs =
        (i + 1 < first_line.size() ? first_line[i + 1] : end_line) - first_line[i];
    const bool at_end = rows[i].data() + rows[i].size() == rows.back().data() + rows.back().size();
    return lfs + (at_end ? 1 : 0);
  }
};
inline RecordPieces split_records(
    std::string_view rest, std::size_t parts, std::size_t line,
    const std::function<void(const char*, const char*)>& counted = {}) {
  constexpr std::size_t kChunk = std::size_t{4} << 20;
  std::vector<ByteCounts> region(parts);
  run_parts(parts, [&](std::size_t i) {
    const std::size_t b = rest.size() / parts * i;
    const std::size_t e = i + 1 == parts ? rest.size() : rest.size() / parts * (i + 1);
    for (std::size_t at = b; at < e; at += kChunk) {
      const char* from = rest.data() + at;
      const char* to = rest.data() + (e - at > kChunk ? at + kChunk : e);
      const ByteCounts n = count_bytes(from, to);
      region[i].quotes += n.quotes;
      region[i].lines += n.lines;
      if (counted) counted(from, to);
    }
  });
  RecordPieces out;
  // pos, with the quotes and line feeds in [0, pos); `before` those in
  // [0, rest.size() / parts * i).
  std::size_t pos = 0;
  ByteCounts seen, before;
  for (std::size_t i = 1; i <= parts; ++i) {
    const std::size_t begin = pos;
    out.first_line.push_back(line + seen.lines);
    if (i == parts) {
      pos = rest.size();
    } else {
      before.quotes += region[i - 1].quotes;
      before.lines += region[i - 1].lines;
      if (pos < rest.size() / parts * i) {
        pos = rest.size() / parts * i;
        seen = before;
      }
      while (pos < rest.size()) {
        const char c = rest[pos++];
        if (c == '"') ++seen.quotes;
        if (c == '\n') {
          ++seen.lines;
          if (seen.quotes % 2 == 0) break;
        }
      }
    }
    out.rows.push_back(rest.substr(begin, pos - begin));
  }
  std::size_t lines = 0;
  for (const ByteCounts& r : region) lines += r.lines;
  out.end_line = line + lines;
  return out;
}

}  // namespace canbao::detail
