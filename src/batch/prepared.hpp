// PreparedRecommendation's data (internal): the tables prepare.cpp builds
// for one as-of date and the kernels (kernel_*.cpp) read. The kernels are
// member functions so that their inner loops read the members directly, as
// before the split; run() dereferences the pimpl once per call.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <canbao/batch.hpp>

#include "../detail/batch_hooks.hpp"
#include "../detail/row_index.hpp"
#include "fired_sets.hpp"
#include "generic.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CANBAO_BATCH_AVX2 1
#else
#define CANBAO_BATCH_AVX2 0
#endif

namespace canbao {

namespace detail {
// InputError naming row i's first bad built-in column ("columns.sex[12]: ..."),
// if any: the one wording of every kernel.
// The fixed-field kernels run only for rules that extend no built-in list
// (BuiltinValues{}); the generic ones pass the rules' lists.
void throw_if_bad_builtin(const PersonColumns& in, std::size_t i, std::int32_t first_birth_day,
                          std::int32_t last_birth_day, Date as_of, const BuiltinValues& builtin);

// Bit 63 of every lookup entry means "valid value": the AND of all lookups
// keeps it only when every field of the person is valid.
constexpr std::uint64_t kValid = std::uint64_t{1} << 63;

// Table limits. They choose a kernel, never refuse a policy: past them the
// next slower kernel runs with the same answers.
// The portable answer table: 12 bytes an entry, so 12 MB per as-of date kept.
constexpr std::size_t kMaxAnswerTable = std::size_t{1} << 20;
// The AVX2 direct table: its keys are 16-bit.
constexpr std::size_t kMaxDirectTable = 65536;
// The AVX2 kernel keeps each cut-off as a vector constant on the stack.
constexpr std::size_t kMaxAvx2Cuts = 256;

// seg[i] = number of cut-offs below v[i]: counting loops the compiler
// vectorises for the usual few cut-offs, a binary search past them. Seg
// must hold cuts.size().
template <typename Seg, typename T>
void count_segments(const T* v, std::size_t len, const std::vector<std::int32_t>& cuts, Seg* seg) {
  if (cuts.size() <= 64) {
    for (std::size_t i = 0; i < len; ++i) seg[i] = 0;
    for (const std::int32_t c : cuts) {
      for (std::size_t i = 0; i < len; ++i) seg[i] = static_cast<Seg>(seg[i] + (v[i] > c));
    }
  } else {
    for (std::size_t i = 0; i < len; ++i) {
      seg[i] = static_cast<Seg>(
          std::lower_bound(cuts.begin(), cuts.end(), static_cast<std::int32_t>(v[i])) -
          cuts.begin());
    }
  }
}
}  // namespace detail

struct CANBAO_LOCAL PreparedRecommendation::Impl {
  // prepare.cpp: the tables for `index`'s rules on `as_of`, in named steps.
  // `prior_months`: months already paid by everyone (the default of the
  // rules' years-paid fact, for the tables at defaults).
  Impl(const detail::RowIndex& index, Date as_of, int prior_months = 0);

  // run.cpp
  BatchKernelKind kernel() const;
  void run(const PersonColumns& in, const RecommendationColumns& out) const;
  void report_bad_row(const PersonColumns& in) const;
  // fired_set[j] for `len` persons: their packed answers' bits 24-31.
  static void store_fired_set(const std::uint32_t* packed, std::size_t len,
                              std::uint8_t* fired_set) {
    for (std::size_t j = 0; j < len; ++j) fired_set[j] = static_cast<std::uint8_t>(packed[j] >> 24);
  }
  // The rows that fire for a person whose row mask (AND of the field masks)
  // is `m`, and their packed outcome (scheme | actions << 8 | groups << 16).
  std::uint32_t resolve(std::uint64_t m, std::uint64_t* fired) const;
  // The kernels after run()'s checks: the AVX2 one (x86-64 only) over a
  // multiple of 16 persons from 0, returning how many it did; the others
  // from person `start` on.
  std::size_t run_avx2(const PersonColumns& in, const RecommendationColumns& out) const;
  void run_portable(const PersonColumns& in, const RecommendationColumns& out,
                    std::size_t start) const;
  template <typename Seg, typename Key>
  void run_portable_as(const PersonColumns& in, const RecommendationColumns& out,
                       std::size_t start) const;
  void run_per_person(const PersonColumns& in, const RecommendationColumns& out,
                      std::size_t start) const;

  Date as_of_;
  int prior_months_ = 0;
  // Rules the fixed-field tables below cannot hold (declared facts, ...):
  // then only this is set, and runs.
  std::unique_ptr<const detail::GenericBatch> generic_;
  // With generic_: the fixed-field tables for persons whose declared facts
  // all take their defaults (a call with no fact columns: rosters and C
  // structs that predate the facts), when every fact has a default and the
  // rules have at most 63 rows. Same answers, the fast kernels.
  std::unique_ptr<const Impl> at_defaults_;
  // Declared facts (none tested, or generic_ would be set): their columns are checked.
  std::vector<FactDeclaration> facts_;
  // Valid birth days: 1900-01-01 (the retirement schedule's first year) to
  // the as-of date, at most 2200-12-31 (its last). Empty when last < first.
  std::int32_t first_birth_day_ = 0, last_birth_day_ = 0;
  // One lookup per categorical field value (bit 63: detail::kValid).
  std::array<std::uint64_t, 256> status_mask_{};
  std::array<std::uint64_t, 256> employment_mask_{};
  std::array<std::uint64_t, 256> flags_mask_{};
  std::array<std::uint64_t, 5> hukou_mask_{};  // index sex * 2 + hukou; 4 = invalid
  // Birth days split at cut-offs into segments (segment = number of cut-offs
  // before the birth day); per sex, the rows whose sex and birth conditions
  // hold in each segment. Both sexes share one cut list, which starts with
  // the day before the first valid birth day and ends with the last valid one.
  std::vector<std::int32_t> birth_cut_;
  std::array<std::vector<std::uint64_t>, 2> birth_mask_;
  std::vector<std::int32_t> grade_cut_;  // segment = number of cut-offs below the grade
  std::vector<std::uint64_t> grade_mask_;
  // Per table: its rows' bits, the otherwise bit (0 if none), and the hit policy.
  struct TableBits {
    std::uint64_t rows = 0;
    std::uint64_t otherwise = 0;
    bool first = true;
  };
  std::vector<TableBits> table_bits_;
  // Outputs of the fired rows, by byte of the fired mask: OR of the packed
  // outcome of each set bit.
  std::array<std::array<std::uint32_t, 256>, 8> outcome_by_byte_{};
  int outcome_bytes_ = 0;
  BatchKernelKind best_ = BatchKernelKind::per_person;
  std::string reason_;  // why best_
  // The portable table kernel. The categorical facts (status, employment,
  // hukou, flags) map to a "fact class", and sex / birth segment / grade
  // segment form a "date key"; the answer for every fact class and date key
  // is precomputed, so a person costs two segment counts and two dependent
  // loads: fact key -> offset of its row, then + date key. Empty when that
  // table would be too large (then run_per_person).
  std::vector<std::uint32_t> fact_offset_;  // ((status * 9 + employment) * 2 + hukou) * 64 + flags
  std::vector<std::uint32_t> answer_by_date_key_;
  // The fired rows: when fired_in_answer_, bits 24-31 of every packed answer
  // (here and in direct_answer_) index fired_set_ (at most 256 distinct
  // sets); otherwise fired_by_date_key_ / direct_fired_ hold them.
  bool fired_in_answer_ = false;
  std::vector<std::uint64_t> fired_set_;
  std::vector<std::uint64_t> fired_by_date_key_;  // same index: the fired rows
  // The numbered sets RecommendationColumns::fired_set reports: fired_set_
  // when fired_in_answer_; with generic_, its sets and those of at_defaults_
  // (prepare.cpp: number_fired_sets()).
  detail::FiredSets sets_;
  // at_defaults_ only: whether its tables carry its parent's numbering
  // (number_fired_sets renumbers them); when not, a call asking for
  // fired_set runs the generic kernels.
  bool sets_numbered_ = true;
  // The AVX2 kernel's single lookup: each categorical field's value -> its
  // class (values with equal row masks), classes combined with the strides
  // below (date keys folded in) + date key -> packed answer / fired rows.
  // Empty when its 16-bit keys or fixed cut arrays cannot express the
  // tables (then the portable kernels run).
  std::array<std::uint8_t, 16> status_class_{}, employment_class_{}, hukou_class_{};
  std::array<std::uint8_t, 64> flags_class_{};
  std::array<std::uint16_t, 4> class_stride_{};  // status, employment, hukou, flags
  std::vector<std::uint32_t> direct_answer_;
  std::vector<std::uint64_t> direct_fired_;

 private:
  // prepare.cpp's steps, in order.
  struct FactClasses;
  void prepare_categorical_masks(const detail::RowIndex& index);
  void prepare_birth_segments(const detail::RowIndex& index, Date as_of);
  void prepare_grade_segments(const detail::RowIndex& index);
  void prepare_table_bits(const detail::RowIndex& index);
  void prepare_outcome_bytes(const detail::RowIndex& index);
  FactClasses prepare_fact_classes();
  void number_fired_sets(Impl* at_defaults);
  void renumber_fired_sets(const std::vector<std::uint8_t>& number,
                           const std::vector<std::uint64_t>& sets);
  bool prepare_answer_table(const FactClasses& facts);
  void prepare_direct_table(const FactClasses& facts);
};

namespace detail {
// The Impl behind a PreparedRecommendation (for the test hooks).
struct PreparedAccess {
  static const PreparedRecommendation::Impl& impl(const PreparedRecommendation& p) {
    return *p.impl_;
  }
};
}  // namespace detail

}  // namespace canbao
