// The fired-row sets a prepared answer table numbers, as the narrow output
// RecommendationColumns::fired_set gives them (batch.hpp): each set's words
// in number order, and an index by words for the kernels that resolve a
// person's fired rows one by one (per_person, masks, reference), so that
// every kernel writes the numbers of the table kernels.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <canbao/error.hpp>

namespace canbao::detail {

// RecommendationColumns::fired_set is one byte a person.
constexpr std::size_t kMaxFiredSets = 256;

class FiredSets {
 public:
  // Numbered sets: `words` holds `per_set` words per set, set k at k * per_set.
  void set(std::vector<std::uint64_t> words, std::size_t per_set) {
    words_ = std::move(words);
    per_set_ = per_set;
    reason_.clear();
    order_.resize(count());
    for (std::size_t k = 0; k < order_.size(); ++k) order_[k] = static_cast<std::uint8_t>(k);
    std::sort(order_.begin(), order_.end(),
              [&](std::uint8_t a, std::uint8_t b) { return less(at(a), at(b)); });
  }
  // No numbers, and why (ArgumentError text for a call asking for fired_set).
  void none(std::string reason) {
    words_.clear();
    order_.clear();
    reason_ = std::move(reason);
  }

  bool available() const { return reason_.empty(); }
  const std::string& reason() const { return reason_; }
  std::size_t count() const { return per_set_ == 0 ? 0 : words_.size() / per_set_; }
  std::size_t words_per_set() const { return per_set_; }
  const std::uint64_t* at(std::size_t k) const { return words_.data() + k * per_set_; }
  const std::vector<std::uint64_t>& words() const { return words_; }

  // The number of the set equal to `fired` (words_per_set() words), or -1.
  int find(const std::uint64_t* fired) const {
    const auto it =
        std::lower_bound(order_.begin(), order_.end(), fired,
                         [&](std::uint8_t k, const std::uint64_t* f) { return less(at(k), f); });
    if (it == order_.end() || less(fired, at(*it))) return -1;
    return *it;
  }
  // find(), for a person's fired rows: every reachable set is numbered when
  // the table is built, so a miss is a bug, never a wrong number.
  std::uint8_t number(const std::uint64_t* fired) const {
    const int k = find(fired);
    if (k < 0)
      throw Error(ErrorKind::internal, "batch", "a fired-row set the answer table did not number");
    return static_cast<std::uint8_t>(k);
  }

 private:
  bool less(const std::uint64_t* a, const std::uint64_t* b) const {
    return std::lexicographical_compare(a, a + per_set_, b, b + per_set_);
  }

  std::vector<std::uint64_t> words_;
  std::size_t per_set_ = 1;
  std::vector<std::uint8_t> order_;  // numbers sorted by their words
  std::string reason_ = "not prepared";
};

}  // namespace canbao::detail
