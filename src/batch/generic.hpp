// The batch tables for rules the fixed-field kernels cannot hold: declared
// facts (facts.hpp), women's retirement ages by a fact (工人/干部), or more
// than 63 rows. Every fact is a "dimension": a categorical one maps each
// value to a class (values with equal row masks), an ordered one (grade,
// integer and date facts) maps each value to a segment between cut-offs, and
// the birth day maps to a segment per "variant" (male, or female with an
// original retirement age of 50 or 55). Row masks have one bit per row, in
// as many 64-bit words as the rules need.
//
// Kernels, fastest first, all giving the one-person answers:
// - table: the categorical classes combine into a fact class (one lookup),
//   the segments into a date key; the answer for each pair is precomputed;
// - masks: per person, the AND of every dimension's mask, then the tables'
//   hit policies (when an answer table would be too large);
// - reference: the one-person evaluation per person, for a flag set too
//   large to tabulate (over 16 flags).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <canbao/batch.hpp>
#include <canbao/recommendation.hpp>

#include "../detail/row_index.hpp"
#include "fired_sets.hpp"

namespace canbao::detail {

// A person's birth-day behaviour: the sex and the women's original
// retirement age it is evaluated with (the fixed tables: male and female
// with the rules' age; the generic ones add female 50 / 55 by a fact).
struct BirthVariant {
  Sex sex;
  int female_original_age;
  int prior_contribution_months = 0;
};
// The birth-day cut-offs for `as_of` (birth_cuts.cpp): the day before
// 1900-01-01, the last valid birth day, every age bound's birthday and every
// birth month where a retirement condition changes value for a variant;
// sorted, distinct; empty when no birth day is valid. A person's segment is
// the number of cut-offs before the birth day.
std::vector<std::int32_t> birth_cuts(const RowIndex& index, Date as_of,
                                     const std::vector<BirthVariant>& variants);

// Every declared fact's column (PersonColumns::facts): ArgumentError for a
// missing column of a fact without a default, InputError naming the first bad
// value (rows `first` on) as "columns.<id>[<row>]".
void check_fact_columns(const PersonColumns& in, const std::vector<FactDeclaration>& facts,
                        std::size_t first = 0);
// Only the ArgumentErrors of check_fact_columns (the AVX2 kernel checks the
// values as it reads them).
void check_fact_arguments(const PersonColumns& in, const std::vector<FactDeclaration>& facts);

// The AVX2 table kernel's limit on the cut-offs of each ordered dimension.
constexpr std::size_t kMaxAvx2GenericCuts = 64;

class GenericBatch {
 public:
  GenericBatch(const RowIndex& index, Date as_of);

  // Whether these rules need GenericBatch: a condition tests a declared fact,
  // women's retirement ages follow a fact, or over 63 rows (the fixed-field
  // kernels hold the rest).
  static bool needed(const RecommendationRules& rules);

  void run(const PersonColumns& in, const RecommendationColumns& out) const;
  BatchKernelKind kernel() const;
  BatchKernelKind best() const { return best_; }
  const std::string& reason() const { return reason_; }
  // The sets the answer table numbers (RecommendationColumns::fired_set).
  const FiredSets& fired_sets() const { return sets_; }
  std::size_t words() const { return words_; }

 private:
  // A categorical dimension: a built-in byte column or a declared fact.
  struct CatDim {
    const char* column;                // built-in: "insurance_status", ...; declared: nullptr
    int fact = -1;                     // declared fact index, or -1
    std::uint32_t domain = 0;          // valid values: 0 .. domain-1
    std::vector<std::uint32_t> cls;    // value -> class
    std::vector<std::uint64_t> masks;  // class -> row mask (words_ each)
    std::size_t classes = 0;
    std::uint32_t stride = 0;        // in the combined categorical key
    std::vector<std::uint32_t> key;  // value -> class * stride (table kernel)
  };
  // An ordered dimension: the grade or a declared integer / date fact.
  struct OrdDim {
    int fact = -1;                     // declared fact index, or -1 for the grade
    std::int32_t lo = 0, hi = 0;       // valid values
    std::vector<std::int32_t> cuts;    // segment = number of cuts below the value
    std::vector<std::uint64_t> masks;  // segment -> row mask
    std::uint32_t stride = 0;          // in the date key
  };

  // prepare (generic_prepare.cpp)
  void prepare_dimensions(const RowIndex& index);
  void prepare_birth(const RowIndex& index);
  void prepare_tables(const RowIndex& index);
  void prepare_answers();
  // The rows that fire for row mask `m` (words_ words) into `fired`, and
  // their packed outcome (scheme | actions << 8 | groups << 16).
  std::uint32_t resolve(const std::uint64_t* m, std::uint64_t* fired) const;
  // The table kernels' fired rows for `len` persons: from each packed answer's
  // top byte, or from answer_fired_ at each answer index.
  void copy_fired_sets(const std::uint32_t* packed, const std::uint32_t* index, std::size_t len,
                       std::uint64_t* fired) const {
    if (fired_in_answer_ && words_ == 1) {
      for (std::size_t j = 0; j < len; ++j) fired[j] = fired_sets_[packed[j] >> 24];
      return;
    }
    for (std::size_t j = 0; j < len; ++j) {
      const std::uint32_t id = fired_in_answer_ ? packed[j] >> 24 : answer_fired_[index[j]];
      const std::uint64_t* set = &fired_sets_[id * words_];
      std::copy(set, set + words_, fired + j * words_);
    }
  }
  // Whether the table kernel's keys fit the AVX2 kernel: 16-bit keys, at
  // most 64 values a categorical dimension, kMaxAvx2GenericCuts cut-offs.
  bool avx2_fits() const;

  // run (generic_run.cpp)
  // The built-in columns of persons base .. base + len (the fact columns are
  // checked once, by check_fact_columns).
  void check(const PersonColumns& in, std::size_t base, std::size_t len) const;
  const std::int32_t* fact_column(const PersonColumns& in, int fact) const;
  // seg[j] = the birth segment of day[j] (days already checked valid): the
  // cut-offs counted, or one lookup when there are many (years already paid
  // make a few hundred).
  template <typename Seg>
  void birth_segments(const std::int32_t* day, std::size_t len, Seg* seg) const;
  // The table kernel from person `start` on.
  void run_table(const PersonColumns& in, const RecommendationColumns& out,
                 std::size_t start) const;
  template <typename Seg>
  void run_table_as(const PersonColumns& in, const RecommendationColumns& out,
                    std::size_t start) const;
  // generic_avx2.cpp: the table kernel over a multiple of 16 persons from 0,
  // checking the fact columns as it goes; returns how many it did.
  std::size_t run_table_avx2(const PersonColumns& in, const RecommendationColumns& out) const;
  void run_masks(const PersonColumns& in, const RecommendationColumns& out) const;
  void run_reference(const PersonColumns& in, const RecommendationColumns& out) const;

  Date as_of_;
  std::size_t words_ = 1;
  std::int32_t first_birth_day_ = 0, last_birth_day_ = 0;
  std::vector<CatDim> cat_;
  std::vector<OrdDim> ord_;
  // Birth: base variant 0 male, 1 female (or 1 female-50, 2 female-55 when
  // the age is by a fact), times the classes of years already paid;
  // segments between birth_cut_ as in the fixed kernels.
  int variants_ = 2;
  int female_age_fact_ = -1;                    // fact deciding the women's variant
  std::vector<std::uint8_t> variant_of_value_;  // that fact's value -> variant (1 or 2)
  // Years already paid (RecommendationRules::prior_contribution_years_fact),
  // when a condition counts them: the full variant is
  // base * prior_classes_ + min(years, prior_classes_ - 1).
  int prior_fact_ = -1;
  std::uint32_t prior_classes_ = 1;
  std::uint32_t prior_class(std::int32_t years) const {
    return std::min(static_cast<std::uint32_t>(years), prior_classes_ - 1);
  }
  std::vector<std::int32_t> birth_cut_;
  // Past 64 cut-offs: the segment of each valid birth day, from first_birth_day_.
  std::vector<std::uint16_t> birth_seg_of_day_;
  std::vector<std::uint64_t> birth_masks_;  // (variant * segments + segment) * words_
  // Per table: its rows' bit range and `otherwise` bit (-1 if none).
  struct TableRange {
    int begin = 0, end = 0, otherwise = -1;
    bool first = true;
  };
  std::vector<TableRange> tables_;
  std::vector<std::uint32_t> outcome_;  // per row: packed outcome
  // Declared facts: their defaults (used when a column is null) and types.
  std::vector<FactDeclaration> facts_;
  // The table kernel: combined categorical key -> fact class * date_keys_;
  // + date key -> answer (packed outcome) and fired set (index into fired_sets_).
  std::vector<std::uint32_t> fact_offset_;
  // The four built-in categorical dimensions' part of the categorical key in
  // one lookup: ((status * employments_ + employment) * 2 + hukou) * flag_values_ + flags.
  std::vector<std::uint32_t> builtin_key_;
  // The built-in lists as the rules extend them: their sizes (flags: 2^flags).
  BuiltinValues builtin_;
  std::uint32_t statuses_ = 0, employments_ = 0, flag_values_ = 0;
  std::size_t date_keys_ = 0;
  std::uint32_t birth_stride_ = 0;  // of (variant * birth segments + segment) in the date key
  std::vector<std::uint32_t> answer_, answer_fired_;
  // When set, bits 24-31 of each answer_ entry are its fired set and
  // answer_fired_ is empty (at most 256 fired sets).
  bool fired_in_answer_ = false;
  // Two-level answers (prepare_answers): fact_offset_ is fact class *
  // date classes, and date_class_ maps each date key to its class.
  bool two_level_ = false;
  std::vector<std::uint32_t> date_class_;
  static constexpr std::size_t kMaxSpreadAnswers = std::size_t{1} << 16;
  std::vector<std::uint64_t> fired_sets_;  // words_ per set
  FiredSets sets_;                         // fired_sets_ when fired_in_answer_
  // fired_set[j] from the packed answers (only when sets_ is available).
  static void store_fired_set(const std::uint32_t* packed, std::size_t len,
                              std::uint8_t* fired_set) {
    for (std::size_t j = 0; j < len; ++j) fired_set[j] = static_cast<std::uint8_t>(packed[j] >> 24);
  }
  // The reference kernel's rules (a copy: a PreparedRecommendation keeps no
  // reference to the rules it was made from).
  std::shared_ptr<const RecommendationRules> rules_;
  std::unique_ptr<RowIndex> index_;
  BatchKernelKind best_ = BatchKernelKind::per_person;
  bool avx2_ = false;  // avx2_fits(), when the answer table is built
  bool reference_ = false;
  std::string reason_;
};

}  // namespace canbao::detail
