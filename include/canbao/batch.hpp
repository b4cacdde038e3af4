// Batch recommendation over columns (structure of arrays): the path for whole
// rosters, from C++, the C ABI and numpy. Gives exactly the answers of
// recommend() for each person.
//
// Speed: PreparedRecommendation turns every birth-date condition ("45 or
// older on the as-of date", "enough contributable years before retirement")
// into birth-day cut-offs per sex once per as-of date, and every categorical
// condition into small lookup tables. run() then does a handful of compares,
// lookups and bit operations per person: no allocation, no parsing, no map.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/recommendation.hpp>

namespace canbao {

struct Policy;
class PreparedRecommendation;

namespace detail {
// True when `prepared` has the AVX2 kernel's direct table (not too large for it).
bool batch_avx2_table_built(const PreparedRecommendation& prepared);
}  // namespace detail

// Input columns, each `count` long, owned by the caller.
struct PersonColumns {
  std::size_t count = 0;
  const std::uint8_t* sex = nullptr;                   // 0 male, 1 female
  const std::int32_t* birth_day = nullptr;             // Date::day_number()
  const std::uint8_t* hukou_local = nullptr;           // 0 or 1
  const std::uint8_t* insurance_status = nullptr;      // InsuranceStatus value
  const std::uint8_t* employment = nullptr;            // Employment value
  const std::uint16_t* resident_grade_yuan = nullptr;  // yuan per year, 0 for none
  const std::uint8_t* flags = nullptr;                 // PersonFlags bits
};

// Owning storage for the input columns, for callers that build a roster in
// C++ vectors; view() gives the PersonColumns over it (valid while it lives
// and is not resized).
struct PersonColumnStore {
  std::vector<std::uint8_t> sex, hukou_local, insurance_status, employment, flags;
  std::vector<std::int32_t> birth_day;
  std::vector<std::uint16_t> resident_grade_yuan;

  PersonColumns view() const {
    PersonColumns c;
    c.count = sex.size();
    c.sex = sex.data();
    c.birth_day = birth_day.data();
    c.hukou_local = hukou_local.data();
    c.insurance_status = insurance_status.data();
    c.employment = employment.data();
    c.resident_grade_yuan = resident_grade_yuan.data();
    c.flags = flags.data();
    return c;
  }

  // Person i as the one-person API takes it (values not checked: for columns
  // already known valid, e.g. comparing recommend() with the batch).
  Person person(std::size_t i) const {
    Person p;
    p.sex = sex[i] ? Sex::female : Sex::male;
    p.birth_date = Date::from_day_number(birth_day[i]);
    p.hukou_local = hukou_local[i] != 0;
    p.insurance_status = static_cast<InsuranceStatus>(insurance_status[i]);
    p.employment = static_cast<Employment>(employment[i]);
    p.resident_grade_yuan = resident_grade_yuan[i];
    p.flags = flags[i];
    return p;
  }
};

// Output columns, each `count` long, owned by the caller. fired_rows may be
// null; the others are required.
struct RecommendationColumns {
  std::uint8_t* scheme = nullptr;       // Scheme value
  std::uint8_t* actions = nullptr;      // ActionSet
  std::uint8_t* groups = nullptr;       // GroupSet
  std::uint64_t* fired_rows = nullptr;  // bit i: RecommendationTables::row(i) fired
};

// Which kernel run() uses for a PreparedRecommendation (fastest first). All
// give the answers of recommend(); the choice only depends on the size of
// the tables the policy needs, never on the persons.
enum class BatchKernelKind : std::uint8_t {
  avx2_table,      // AVX2, one lookup per person in a direct table of at most 65,536 entries
  portable_table,  // portable C++, two lookups per person in an answer table
  per_person,      // portable C++, per person: AND of the compiled row masks, then the
                   // tables' hit policies (no answer table: too many combinations)
};
const char* batch_kernel_name(BatchKernelKind kind) noexcept;

// The tables specialised for one as-of date. Cheap to run many times.
// Immutable, thread-safe to share. The tables must outlive it. Usually got
// from RecommendationTables::prepared(as_of), which keeps the last few.
class PreparedRecommendation {
 public:
  PreparedRecommendation(const RecommendationTables& tables, Date as_of);

  // Evaluates every person. A value outside its range (an enum value, a flag
  // bit beyond the known flags, a birth day before 1900-01-01 or after the
  // as-of date or 2200-12-31) throws InputError naming the first bad row and
  // column as "columns.<column>[<row>]"; outputs are then unspecified. Null
  // columns throw ArgumentError.
  void run(const PersonColumns& in, const RecommendationColumns& out) const;

  Date as_of() const { return as_of_; }

  // The kernel run() uses on this machine (detail::set_batch_kernel can
  // force a slower one), and why: a line for --explain / debug traces,
  // e.g. "portable_table: answer table of ... entries; no AVX2 table: its
  // direct table would need 80886 entries, over 65536 (16-bit keys)". Never
  // part of the results.
  BatchKernelKind kernel() const;
  std::string kernel_reason() const;

 private:
  friend bool detail::batch_avx2_table_built(const PreparedRecommendation& prepared);
  void report_bad_row(const PersonColumns& in) const;
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
  // Valid birth days: 1900-01-01 (the retirement schedule's first year) to
  // the as-of date, at most 2200-12-31 (its last). Empty when last < first.
  std::int32_t first_birth_day_ = 0, last_birth_day_ = 0;
  // Bit 63 of every lookup entry means "valid value": the AND of all lookups
  // keeps it only when every field of the person is valid.
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
  std::vector<std::uint64_t> fired_by_date_key_;  // same index: the fired rows
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
};

namespace detail {
// Which kernel PreparedRecommendation::run() may use (process-wide; for tests
// and benchmarks). automatic: the fastest the tables and the CPU allow.
// portable: not AVX2. per_person: neither table. avx2 is automatic.
enum class BatchKernel { automatic, portable, avx2, per_person };
void set_batch_kernel(BatchKernel kernel);
// True when run() can use the AVX2 kernel on this machine.
bool batch_avx2_available();
}  // namespace detail

// Runs with the policy's prepared tables for `as_of` (RecommendationTables::
// prepared: made on the first call for a date, then reused), so repeated and
// chunked calls cost only the kernel.
// ArgumentError when the policy has no recommendation section.
void recommend_batch(const Policy& policy, Date as_of, const PersonColumns& in,
                     const RecommendationColumns& out);

}  // namespace canbao
