// Progress data: dated observations of count and average metrics per unit,
// validated against a policy, and the step-function / rollup semantics every
// evaluation (completion dates, milestones, work fund, scoring) reads.
//
// - A value on a day is the last observation on or before that day (a step
//   function). A count with no observation yet is 0; an average with none is
//   undefined.
// - A unit with its own observations of a metric uses them. Otherwise counts
//   add up its children, averages are weighted by their weight count (001:
//   人均缴费 is weighted by enrollment), and rates are the rolled-up numerator
//   over the rolled-up denominator (undefined when that is 0). Rates are never
//   observed directly.
// - Everything is exact: counts are int64, averages and rates are Ratios.
// - A row may carry a segment (Campaign::segments, 003's sectors). Segment
//   rows are a breakdown reported beside the whole: they make up the
//   segment's own figures (segment(s), rolled up the same way) and never
//   enter the unit's whole figures, which come from rows without a segment
//   (a county's total includes people outside every named sector).
//
// A Progress is immutable and safe to share across threads. It stores every
// (metric, unit) series in flat sorted arrays and rolls parents up once, at
// construction, so a query is a binary search over a dozen dates.
#pragma once

#include <canbao/export.hpp>

#include <climits>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/policy.hpp>
#include <canbao/ratio.hpp>
#include <canbao/table_format.hpp>

namespace canbao {

// One observation as a caller or a CSV row gives it.
struct Observation {
  std::string unit_id;
  std::string metric;
  Date date;
  std::int64_t value = 0;  // a count (persons) or an average (e.g. yuan per person)
  std::string segment{};   // a Campaign::segments id, or empty: the unit's whole figure
  // The day the row was handed in (late_reports.hpp), not before `date`;
  // nothing: submission unknown (never assumed late or on time).
  std::optional<Date> submitted{};
};

// ObservationColumns::submitted for a row whose submission day is unknown.
constexpr std::int32_t kSubmissionUnknown = INT32_MIN;

// Observations by index, for bulk callers (bindings, benchmarks): parallel
// columns of equal length. unit and metric are indices into the policy.
struct ObservationColumns {
  std::vector<std::int32_t> unit;
  std::vector<std::int32_t> metric;
  std::vector<std::int32_t> day;  // Date::day_number()
  std::vector<std::int64_t> value;
  // Empty (every row is a whole-unit figure) or one per row: an index into
  // Campaign::segments, -1 for a whole-unit figure.
  std::vector<std::int32_t> segment{};
  // Empty (no row says when it was handed in) or one per row: the day number
  // the row was submitted, not before its day; kSubmissionUnknown for none.
  std::vector<std::int32_t> submitted{};
};

// A unit's rows observed in a window of days and when they were handed in,
// as known on a day (Progress::rows_reported).
struct RowsReported {
  std::size_t rows = 0;                // rows known (submitted on or before that day, or undated)
  std::size_t undated = 0;             // of them, rows without a submitted date
  std::optional<Date> last_submitted;  // the latest submitted date of the dated ones
};

// A step function's points: dates ascending, one value per date.
struct SeriesView {
  const std::int32_t* days = nullptr;  // day numbers
  const std::int64_t* values = nullptr;
  std::size_t size = 0;
};

class CANBAO_API Progress {
 public:
  // Validates and indexes observations. Errors (InputError) name the record
  // ("records[3]"): unknown unit or metric, a rate observed directly (report
  // its numerator and denominator instead), a negative count, a duplicate
  // (unit, metric, date) naming both records. Sums that overflow int64 while
  // rolling up throw OverflowError.
  static Progress from_records(PolicyPtr policy, const std::vector<Observation>& records);

  // The same from index columns. `describe(i)` names record i in errors
  // (default: "records[i]"); the CSV reader passes "file.csv:line".
  static Progress from_columns(PolicyPtr policy, ObservationColumns columns,
                               std::function<std::string(std::size_t)> describe = {});

  const Policy& policy() const { return *policy_; }
  const PolicyPtr& policy_ptr() const { return policy_; }
  std::size_t observation_count() const { return observation_count_; }

  // Whether the unit has its own observations of a (count or average) metric.
  bool has_own(int unit, int metric) const;
  // Whether it has one on or before `day`: before its first own row a unit
  // with parent_figure "own" takes its children's figure (nothing after a day
  // is read as of that day).
  bool has_own_on(int unit, int metric, Date day) const;

  // Rolled-up count on a day (0 before the first observation). `metric` must
  // be a count metric (ArgumentError otherwise).
  std::int64_t count(int unit, int metric, Date day) const;

  // Value of any metric on a day as an exact Ratio; nothing when undefined
  // (a rate whose denominator is 0, an average with no observation or no
  // weight). Counts are n/1.
  std::optional<Ratio> value(int unit, int metric, Date day) const;

  // The days on which `metric` (for a rate: its numerator or denominator; for
  // an average: it or its weight) may change for this unit, ascending. Every
  // evaluation only needs to look at these days.
  std::vector<std::int32_t> change_days(int unit, int metric) const;
  // The same appended to `out` unsorted and possibly repeated, so a caller
  // looping over many units can reuse one buffer.
  void append_change_days(int unit, int metric, std::vector<std::int32_t>& out) const;

  // The rolled-up count series of a count metric (points ascending).
  SeriesView count_series(int unit, int metric) const;

  // The figures of one segment (Campaign::segments index): a Progress of the
  // rows that carried it, over the same policy, empty when there were none.
  // ArgumentError for an index out of range.
  const Progress& segment(int index) const;
  // segment() by id; the empty id is this (the whole figures). ArgumentError
  // for an id the policy does not declare.
  const Progress& for_segment(const std::string& id) const;

  // The unit's own rows (every metric, whole figures and segments) observed
  // from `first` to `last` inclusive, as known on `as_of`: a row submitted
  // after as_of is not counted (nothing after as_of is read).
  RowsReported rows_reported(int unit, Date first, Date last, Date as_of) const;

 private:
  struct AverageSeries {
    std::vector<std::uint32_t> offsets;  // per unit, into the arrays below
    std::vector<std::int32_t> days;
    std::vector<std::int64_t> sum;     // sum of average x weight
    std::vector<std::int64_t> weight;  // sum of weights
    std::vector<std::uint8_t> defined;
  };

  // Storage sized first and then filled (by several threads): resize leaves
  // it unwritten instead of zeroing hundreds of MB on one thread first.
  template <class T>
  struct Unzeroed : std::allocator<T> {
    template <class U>
    struct rebind {
      using other = Unzeroed<U>;
    };
    Unzeroed() = default;
    template <class U>
    Unzeroed(const Unzeroed<U>&) noexcept {}
    template <class U>
    void construct(U* p) noexcept {
      ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... A>
    void construct(U* p, A&&... a) {
      ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
    }
  };
  template <class T>
  using Buffer = std::vector<T, Unzeroed<T>>;

  Progress() = default;
  static Progress build(PolicyPtr policy, ObservationColumns columns,
                        const std::function<std::string(std::size_t)>& describe);
  struct Submitted;
  static std::vector<Submitted> submissions(
      const ObservationColumns& columns, const std::function<std::string(std::size_t)>& describe);
  void roll_up_counts(int metric);
  void roll_up_average(int metric);
  std::size_t slot(int unit, int metric) const {
    return static_cast<std::size_t>(metric) * unit_count_ + static_cast<std::size_t>(unit);
  }
  void check_unit_metric(int unit, int metric) const;

  PolicyPtr policy_;
  std::size_t unit_count_ = 0;
  std::size_t observation_count_ = 0;
  // Own observations (any metric) and rolled-up count series: slot s is
  // [offsets_[2s], offsets_[2s + 1]) of days_ / values_.
  Buffer<std::uint64_t> offsets_;
  Buffer<std::int32_t> days_;
  Buffer<std::int64_t> values_;
  std::vector<std::uint8_t> own_;  // per slot: the unit observed it itself
  // Per slot: the day of the unit's first own row (INT32_MAX: none). Before
  // it, a parent's series is its children's rolled up.
  Buffer<std::int32_t> own_from_;
  // Average metrics: per metric index (empty for other kinds).
  std::vector<AverageSeries> averages_;
  // The segments' figures: segment s is segments_[segment_slot_[s]]. Segments
  // without rows share one empty Progress, so declaring segments costs one
  // index over the units, not one per segment.
  std::vector<Progress> segments_;
  std::vector<std::uint32_t> segment_slot_;
  // Rows that carried a submitted date, sorted by (unit, day): kept only on
  // the Progress from_columns returns, empty when no row had one.
  struct CANBAO_LOCAL Submitted {
    std::int32_t unit;
    std::int32_t day;
    std::int32_t submitted;
  };
  std::vector<Submitted> submitted_;
};

// Reads progress CSV: a header naming the columns unit_id, metric, date,
// value in any order, and optionally segment (a Campaign::segments id; an
// empty cell is the unit's whole figure) and submitted (the day the row was
// handed in, not before its date; an empty cell: unknown). The Chinese
// headers of docs/office-data.md name them too (单位编码, 指标, ...); a 单位
// column may hold unit names (an exact, unique match). Other columns are
// ignored and listed in notes->ignored_columns (the caller tells the person).
// Dates as parse_office_date reads them; values as "1330", "1,330" or
// "１３３０". UTF-8 with or without a byte order mark, or GB18030 when
// `format` says so; comma or tab separated. Errors are "source:line:column".
CANBAO_API Progress read_progress_csv(PolicyPtr policy, std::istream& in,
                                      const std::string& source);
CANBAO_API Progress read_progress_csv(PolicyPtr policy, std::istream& in, const std::string& source,
                                      const TableFormat& format, TableNotes* notes = nullptr);
// The rows of a progress CSV as read_progress_csv reads and checks them, one
// by one, before the checks that need the whole file (duplicates): for a
// caller that hands the rows on as a table (the Python read_progress) and
// then indexes them with Progress::from_columns. lines[i] is row i's line.
struct ProgressRows {
  ObservationColumns columns;
  std::vector<std::size_t> lines;
};
CANBAO_API ProgressRows read_progress_rows(const Policy& policy, std::istream& in,
                                           const std::string& source, const TableFormat& format,
                                           TableNotes* notes = nullptr);
CANBAO_API Progress read_progress_csv_file(PolicyPtr policy, const std::string& path);
// A regular file is mapped and its rows read on `threads` threads (0: the
// machine's cores): the same Progress, notes and first error (in file order,
// worded alike) whatever the count.
CANBAO_API Progress read_progress_csv_file(PolicyPtr policy, const std::string& path,
                                           const TableFormat& format, TableNotes* notes = nullptr,
                                           unsigned threads = 0);

}  // namespace canbao
