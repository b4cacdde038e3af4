// Work split over the machine's cores (issue 15: a 1 M-row roster on 2
// cores). Each part writes only its own results; the caller joins them in
// part order, so the output never depends on the thread count.
#pragma once

#include <cstddef>
#include <exception>
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

}  // namespace canbao::detail
