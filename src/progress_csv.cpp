// Progress CSV: unit_id,metric,date,value[,segment][,submitted] (any column order, header
// required, Chinese aliases: detail/column_aliases.hpp). Other columns are
// ignored and reported to the caller (TableNotes), never printed here.
// Each field is checked where it is, so errors name file:line:column; the
// rules that need the whole file (duplicates) name both lines.
#include <canbao/progress.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <unordered_map>

#include <canbao/detail/message_text.hpp>

#include "detail/column_aliases.hpp"
#include "detail/csv.hpp"
#include "detail/mapped_file.hpp"
#include "detail/office_number.hpp"
#include "detail/parallel.hpp"

namespace canbao {
namespace {

// A user value in an error: a short excerpt (Error masks ID numbers in it).
std::string quoted(std::string_view value) { return "\"" + detail::excerpt(value) + "\""; }

// Units by name, for a 单位 cell that holds names (offices write them): each
// name's unit, or -2 when several units have it.
std::unordered_map<std::string, int> units_by_name(const Policy& p) {
  std::unordered_map<std::string, int> by_name;
  for (std::size_t i = 0; i < p.units.units.size(); ++i) {
    const auto [it, added] = by_name.emplace(p.units.units[i].name, static_cast<int>(i));
    if (!added) it->second = -2;
  }
  return by_name;
}

// Why a 单位 cell names no unit: unknown, or a name several units share (listed).
std::string unit_name_problem(const Policy& p, std::string_view text, bool shared) {
  if (!shared) return "unknown unit " + quoted(text) + " (neither an id nor a name in the policy)";
  std::string ids;
  for (const Unit& u : p.units.units) {
    if (u.name == text) ids += (ids.empty() ? "" : ", ") + u.id;
  }
  return "unit name " + quoted(text) + " is ambiguous: units " + ids + " have it; write the id";
}

}  // namespace

Progress read_progress_csv(PolicyPtr policy, std::istream& in, const std::string& source) {
  return read_progress_csv(std::move(policy), in, source, TableFormat{});
}

namespace {

// The line each row starts on, without a number per row (issue 15: 25 M rows
// would take 200 MB): a row one line after the row before it continues a run;
// only a row after a multi-line quoted field starts a new one.
class RowLines {
 public:
  void add(std::size_t row, std::size_t line) {
    if (runs_.empty() || runs_.back().line + (row - runs_.back().row) != line)
      runs_.push_back(Run{row, line});
  }
  // The rows of a later part of the file, after the `rows` rows so far.
  void append(const RowLines& part, std::size_t rows) {
    for (const Run& r : part.runs_) add(rows + r.row, r.line);
  }
  std::size_t line(std::size_t row) const {
    const auto after = std::upper_bound(runs_.begin(), runs_.end(), row,
                                        [](std::size_t r, const Run& run) { return r < run.row; });
    const Run& run = *(after - 1);  // runs_[0] starts at row 0
    return run.line + (row - run.row);
  }
  std::vector<std::size_t> all(std::size_t rows) const {
    std::vector<std::size_t> out(rows);
    for (std::size_t i = 0; i < rows; ++i) out[i] = line(i);
    return out;
  }

 private:
  struct Run {
    std::size_t row;
    std::size_t line;
  };
  std::vector<Run> runs_;
};

// Rows read before the columns are sized from their average length; and the
// rows between two releases of the mapped file's pages already read.
constexpr std::size_t kSampleRows = 4096;
constexpr std::size_t kReleaseRows = 1 << 16;
// Below this many bytes of rows one thread reads them (threads cost more).
constexpr std::size_t kParallelBytes = 1 << 20;

void reserve(ObservationColumns& cols, std::size_t rows) {
  cols.unit.reserve(rows);
  cols.metric.reserve(rows);
  cols.day.reserve(rows);
  cols.value.reserve(rows);
}

// The columns the header names (-1: absent), decided once for every part.
struct ProgressHeader {
  int unit = -1, metric = -1, date = -1, value = -1, segment = -1, submitted = -1;
  bool names_too = false;  // a 单位 column: ids or names
};

ProgressHeader read_header(detail::CsvReader& csv, TableNotes* notes) {
  const detail::AliasTable aliases = detail::progress_column_aliases();
  csv.read_header(&aliases);
  ProgressHeader h;
  h.unit = csv.required_column("unit_id");
  h.metric = csv.required_column("metric");
  h.date = csv.required_column("date");
  h.value = csv.required_column("value");
  h.segment = csv.column("segment");      // optional: 003's sectors
  h.submitted = csv.column("submitted");  // optional: 001 五(三) reporting
  // Other columns (a unit name, 备注) are ignored, and the caller is told which.
  const auto& header = csv.header();
  for (std::size_t i = 0; i < header.size(); ++i) {
    const int c = static_cast<int>(i);
    if (c != h.unit && c != h.metric && c != h.date && c != h.value && c != h.segment &&
        c != h.submitted && notes)
      notes->ignored_columns.push_back(detail::mask_id_numbers(header[i]));
  }
  h.names_too = header[static_cast<std::size_t>(h.unit)] == detail::kUnitIdOrName;
  return h;
}

// Where the rows of a reader go: appended to the columns (one reader), or
// written in place in [next, end) of columns sized for the whole file (one
// part of it, on its own thread).
struct RowSink {
  ObservationColumns& cols;
  bool in_place = false;
  std::size_t next = 0, end = 0;
  void put(const detail::CsvReader& csv, std::size_t line, int unit, int metric, std::int32_t day,
           std::int64_t value, const ProgressHeader& h, int segment, std::int32_t submitted) {
    if (!in_place) {
      cols.unit.push_back(unit);
      cols.metric.push_back(metric);
      cols.day.push_back(day);
      cols.value.push_back(value);
      if (h.segment >= 0) cols.segment.push_back(segment);
      if (h.submitted >= 0) cols.submitted.push_back(submitted);
      return;
    }
    // Cannot happen (a record ends at a line feed but the last), and if it
    // did the file is read again on one thread.
    if (next == end) csv.fail(line, 0, "more rows than line feeds");
    cols.unit[next] = unit;
    cols.metric[next] = metric;
    cols.day[next] = day;
    cols.value[next] = value;
    if (h.segment >= 0) cols.segment[next] = segment;
    if (h.submitted >= 0) cols.submitted[next] = submitted;
    ++next;
  }
};

// The rows of a reader over the whole input or a part of it: fields are
// views into it (issue 15: a GB of progress at disk speed, no string per
// field). With `file` (the mapped input) the pages already read are given
// back as the reading goes, so the file and the columns are not both held
// whole. Returns the rows read.
std::size_t read_body(const Policy& p, const ProgressHeader& h, detail::CsvReader& csv,
                      RowSink& out, RowLines& lines, const detail::MappedFile* file) {
  std::unordered_map<std::string, int> by_name;  // filled when first needed
  auto col = [](int c) { return static_cast<std::size_t>(c) + 1; };

  const std::size_t body_bytes = csv.rest().size();
  const char* released = csv.rest().data();
  std::size_t n = 0;  // rows read
  detail::CsvFields row;
  std::string unit_id, metric_id;  // the keys looked up, reused
  int unit = -1, metric = -1;      // the last row's: rows of one unit come together
  std::string why;
  while (csv.next_view(row)) {
    const std::string_view unit_text = row.fields[static_cast<std::size_t>(h.unit)];
    if (unit < 0 || unit_text != unit_id) {
      unit_id.assign(unit_text.data(), unit_text.size());
      // A file in the policy's unit order names the next unit: one compare
      // instead of a hash lookup (700,000 units miss the cache).
      const std::size_t next = static_cast<std::size_t>(unit + 1);
      unit = next < p.units.units.size() && p.units.units[next].id == unit_text
                 ? static_cast<int>(next)
                 : p.units.find(unit_id);
    }
    if (unit < 0 && h.names_too) {
      if (by_name.empty()) by_name = units_by_name(p);
      const auto it = by_name.find(unit_id);
      unit = it == by_name.end() ? -1 : it->second;
      if (unit < 0) csv.fail(row.line, col(h.unit), unit_name_problem(p, unit_id, unit == -2));
    }
    if (unit < 0)
      csv.fail(row.line, col(h.unit), "unknown unit " + quoted(unit_id) + " (not in the policy)");
    const std::string_view metric_text = row.fields[static_cast<std::size_t>(h.metric)];
    if (metric < 0 || metric_text != metric_id) {
      metric_id.assign(metric_text.data(), metric_text.size());
      metric = p.metric_index(metric_id);
    }
    if (metric < 0)
      csv.fail(row.line, col(h.metric),
               "unknown metric " + quoted(metric_id) + " (not in the policy)");
    const Metric& m = p.metrics[static_cast<std::size_t>(metric)];
    if (m.kind == MetricKind::rate) {
      csv.fail(row.line, col(h.metric),
               "metric \"" + m.id + "\" is a rate (" + m.numerator + " / " + m.denominator +
                   "): report its numerator and denominator, not the rate");
    }
    const auto date = parse_office_date(row.fields[static_cast<std::size_t>(h.date)], &why);
    if (!date) csv.fail(row.line, col(h.date), why);
    if (!is_supported_date(*date)) csv.fail(row.line, col(h.date), unsupported_date_message(*date));
    const std::string_view text = row.fields[static_cast<std::size_t>(h.value)];
    std::int64_t value = 0;
    if (!detail::parse_office_integer(text, &value, &why))  // "1,330", "１３３０"
      csv.fail(row.line, col(h.value), why + ", got " + quoted(text));
    if (value < 0) {
      csv.fail(row.line, col(h.value),
               "value of \"" + m.id + "\" must be >= 0, got " + std::string(text));
    }
    int s = -1;
    if (h.segment >= 0) {
      const std::string seg(row.fields[static_cast<std::size_t>(h.segment)]);
      s = seg.empty() ? -1 : segment_index(p.campaign, seg);
      if (!seg.empty() && s < 0) {
        csv.fail(row.line, col(h.segment),
                 "unknown segment " + quoted(seg) + " (not in campaign.segments)");
      }
    }
    std::int32_t day = kSubmissionUnknown;
    if (h.submitted >= 0) {
      // When the row was handed in: a real day, not before the day it is as of.
      const std::string_view text = row.fields[static_cast<std::size_t>(h.submitted)];
      if (!text.empty()) {
        const auto submitted = parse_office_date(text, &why);
        if (!submitted) csv.fail(row.line, col(h.submitted), why);
        if (!is_supported_date(*submitted))
          csv.fail(row.line, col(h.submitted), unsupported_date_message(*submitted));
        if (*submitted < *date) {
          csv.fail(row.line, col(h.submitted),
                   "submitted " + submitted->iso() + " is before the row's date " + date->iso() +
                       " (a figure is handed in on or after the day it is as of)");
        }
        day = submitted->day_number();
      }
    }
    out.put(csv, row.line, unit, metric, date->day_number(), value, h, s, day);
    lines.add(n, row.line);
    ++n;
    if (n == kSampleRows && !out.in_place) {
      // Sized once from the rows so far (5 % spare) instead of doubling: at
      // national scale each doubling copies and touches hundreds of MB.
      const std::size_t read = body_bytes - csv.rest().size();
      if (read > 0) {
        const double per_row = static_cast<double>(read) / static_cast<double>(n);
        const auto more =
            static_cast<std::size_t>(static_cast<double>(csv.rest().size()) / per_row * 1.05);
        reserve(out.cols, n + more + 16);
      }
    }
    if (file && n % kReleaseRows == 0)
      released = file->release_between(released, csv.rest().data());
  }
  return n;
}

// Column `v` grown to `n` rows when the header has it (`present`).
template <class T>
void size_column(std::vector<T>& v, bool present, std::size_t n) {
  if (present) v.resize(n);
}

// Every column the header has at `n` rows.
void size_columns(ObservationColumns& cols, const ProgressHeader& h, std::size_t n) {
  cols.unit.resize(n);
  cols.metric.resize(n);
  cols.day.resize(n);
  cols.value.resize(n);
  size_column(cols.segment, h.segment >= 0, n);
  size_column(cols.submitted, h.submitted >= 0, n);
}

// Rows [from, from + n) of a column moved down to `to` (parts joined in place).
template <class T>
void move_rows(std::vector<T>& v, std::size_t from, std::size_t n, std::size_t to) {
  if (v.empty() || from == to) return;
  std::copy(v.begin() + static_cast<std::ptrdiff_t>(from),
            v.begin() + static_cast<std::ptrdiff_t>(from + n),
            v.begin() + static_cast<std::ptrdiff_t>(to));
}

// The rows after `csv`'s header read in `parts` pieces on as many threads,
// each into its slice of columns sized for the whole file, then moved
// together in file order: the same columns and lines as one reader. false
// when a piece failed or ",,," rows of one piece are followed by data in a
// later one: the caller then reads the rows again on one thread and meets
// the first error in file order, worded as always.
bool read_parts(const Policy& p, const ProgressHeader& h, const detail::CsvReader& csv,
                std::size_t parts, const detail::MappedFile* file, ObservationColumns& cols,
                RowLines& lines) {
  const detail::RecordPieces split =
      detail::split_records(csv.rest(), parts, csv.line(), [file](const char* b, const char* e) {
        if (file) file->release_between(b, e);
      });
  std::vector<std::size_t> base(parts + 1, 0);
  for (std::size_t i = 0; i < parts; ++i) base[i + 1] = base[i] + split.max_records(i);
  const std::size_t room = base[parts];
  size_columns(cols, h, room);
  struct Part {
    std::size_t rows = 0, empty_row_line = 0;
    bool failed = false;
    RowLines lines;
  };
  std::vector<Part> out(parts);
  detail::run_parts(parts, [&](std::size_t i) {
    try {
      detail::CsvReader part(csv, split.rows[i], split.first_line[i]);
      RowSink sink{cols, true, base[i], base[i + 1]};
      out[i].rows = read_body(p, h, part, sink, out[i].lines, file);
      out[i].empty_row_line = part.empty_row_line();
    } catch (const Error&) {
      out[i].failed = true;
    }
  });
  bool pending_empty = false;
  for (const Part& part : out) {
    if (part.failed || (pending_empty && part.rows > 0)) return false;
    pending_empty = pending_empty || part.empty_row_line != 0;
  }
  std::size_t rows = 0;
  for (std::size_t i = 0; i < parts; ++i) {
    move_rows(cols.unit, base[i], out[i].rows, rows);
    move_rows(cols.metric, base[i], out[i].rows, rows);
    move_rows(cols.day, base[i], out[i].rows, rows);
    move_rows(cols.value, base[i], out[i].rows, rows);
    move_rows(cols.segment, base[i], out[i].rows, rows);
    move_rows(cols.submitted, base[i], out[i].rows, rows);
    lines.append(out[i].lines, rows);
    rows += out[i].rows;
  }
  size_columns(cols, h, rows);
  return true;
}

// The rows after the header of `csv`, on `threads` threads when there are
// enough of them; the same columns, lines and first error either way.
void read_rows(const Policy& p, detail::CsvReader& csv, TableNotes* notes, ObservationColumns& cols,
               RowLines& lines, const detail::MappedFile* file, unsigned threads) {
  const ProgressHeader h = read_header(csv, notes);
  threads = detail::thread_count(threads);
  if (threads > 1 && csv.rest().size() >= kParallelBytes) {
    if (read_parts(p, h, csv, threads, file, cols, lines)) return;
    cols = ObservationColumns{};
    lines = RowLines{};
  }
  RowSink sink{cols};
  read_body(p, h, csv, sink, lines, file);
}

}  // namespace

ProgressRows read_progress_rows(const Policy& p, std::istream& in, const std::string& source,
                                const TableFormat& format, TableNotes* notes) {
  detail::CsvReader csv(in, source, format);
  ProgressRows rows;
  RowLines lines;
  read_rows(p, csv, notes, rows.columns, lines, nullptr, 1);
  rows.lines = lines.all(rows.columns.unit.size());
  return rows;
}

namespace {

Progress index_rows(PolicyPtr policy, ObservationColumns columns, const RowLines& lines,
                    const std::string& source) {
  return Progress::from_columns(std::move(policy), std::move(columns), [&](std::size_t i) {
    return ErrorPlace{source, lines.line(i), std::nullopt, std::nullopt}.text();
  });
}

}  // namespace

Progress read_progress_csv(PolicyPtr policy, std::istream& in, const std::string& source,
                           const TableFormat& format, TableNotes* notes) {
  if (!policy) throw ArgumentError("policy", "is null");
  ObservationColumns columns;
  RowLines lines;
  {
    detail::CsvReader csv(in, source, format);
    read_rows(*policy, csv, notes, columns, lines, nullptr, 1);
  }
  return index_rows(std::move(policy), std::move(columns), lines, source);
}

Progress read_progress_csv_file(PolicyPtr policy, const std::string& path) {
  return read_progress_csv_file(std::move(policy), path, TableFormat{});
}

Progress read_progress_csv_file(PolicyPtr policy, const std::string& path,
                                const TableFormat& format, TableNotes* notes, unsigned threads) {
  // The open would silently use only the part before a NUL.
  if (path.find('\0') != std::string::npos)
    throw ArgumentError("path", "the path contains a NUL byte");
  if (!policy) throw ArgumentError("policy", "is null");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the progress file");
  // A pipe or a device is read as a stream, as it always was; a folder cannot
  // be read (the stream would fail inside the C++ library with its own text).
  struct stat st {};
  const bool known = ::stat(path.c_str(), &st) == 0;
  if (known && S_ISDIR(st.st_mode)) throw InputError(path, "is a folder, not a file");
  if (!known || !S_ISREG(st.st_mode))
    return read_progress_csv(std::move(policy), in, path, format, notes);
  in.close();
  // Mapped, not read through a stream: the fields are views into the file,
  // unmapped before the rows are indexed (1 GB at national scale).
  ObservationColumns columns;
  RowLines lines;
  {
    detail::MappedFile file(path);
    detail::CsvReader csv(file.bytes(), path, format);
    read_rows(*policy, csv, notes, columns, lines, &file, threads);
  }
  return index_rows(std::move(policy), std::move(columns), lines, path);
}

}  // namespace canbao
