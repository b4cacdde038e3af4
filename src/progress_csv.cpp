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

void reserve(ObservationColumns& cols, std::size_t rows) {
  cols.unit.reserve(rows);
  cols.metric.reserve(rows);
  cols.day.reserve(rows);
  cols.value.reserve(rows);
}

// The rows of a reader over the whole input: fields are views into it (issue
// 15: a GB of progress at disk speed, no string per field). With `file` (the
// mapped input) the pages already read are given back as the reading goes,
// so the file and the columns are not both held whole.
void read_rows(const Policy& p, detail::CsvReader& csv, TableNotes* notes, ObservationColumns& cols,
               RowLines& lines, detail::MappedFile* file) {
  const detail::AliasTable aliases = detail::progress_column_aliases();
  csv.read_header(&aliases);
  const int c_unit = csv.required_column("unit_id");
  const int c_metric = csv.required_column("metric");
  const int c_date = csv.required_column("date");
  const int c_value = csv.required_column("value");
  const int c_segment = csv.column("segment");      // optional: 003's sectors
  const int c_submitted = csv.column("submitted");  // optional: 001 五(三) reporting
  // Other columns (a unit name, 备注) are ignored, and the caller is told which.
  const auto& header = csv.header();
  for (std::size_t i = 0; i < header.size(); ++i) {
    const int c = static_cast<int>(i);
    if (c != c_unit && c != c_metric && c != c_date && c != c_value && c != c_segment &&
        c != c_submitted && notes)
      notes->ignored_columns.push_back(detail::mask_id_numbers(header[i]));
  }
  const bool names_too = header[static_cast<std::size_t>(c_unit)] == detail::kUnitIdOrName;
  std::unordered_map<std::string, int> by_name;  // filled when first needed
  auto col = [](int c) { return static_cast<std::size_t>(c) + 1; };

  const std::size_t body_bytes = csv.rest().size();
  std::size_t n = 0;  // rows read
  detail::CsvFields row;
  std::string unit_id, metric_id;  // the keys looked up, reused
  int unit = -1, metric = -1;      // the last row's: rows of one unit come together
  std::string why;
  while (csv.next_view(row)) {
    const std::string_view unit_text = row.fields[static_cast<std::size_t>(c_unit)];
    if (unit < 0 || unit_text != unit_id) {
      unit_id.assign(unit_text.data(), unit_text.size());
      // A file in the policy's unit order names the next unit: one compare
      // instead of a hash lookup (700,000 units miss the cache).
      const std::size_t next = static_cast<std::size_t>(unit + 1);
      unit = next < p.units.units.size() && p.units.units[next].id == unit_text
                 ? static_cast<int>(next)
                 : p.units.find(unit_id);
    }
    if (unit < 0 && names_too) {
      if (by_name.empty()) by_name = units_by_name(p);
      const auto it = by_name.find(unit_id);
      unit = it == by_name.end() ? -1 : it->second;
      if (unit < 0) csv.fail(row.line, col(c_unit), unit_name_problem(p, unit_id, unit == -2));
    }
    if (unit < 0)
      csv.fail(row.line, col(c_unit), "unknown unit " + quoted(unit_id) + " (not in the policy)");
    const std::string_view metric_text = row.fields[static_cast<std::size_t>(c_metric)];
    if (metric < 0 || metric_text != metric_id) {
      metric_id.assign(metric_text.data(), metric_text.size());
      metric = p.metric_index(metric_id);
    }
    if (metric < 0)
      csv.fail(row.line, col(c_metric),
               "unknown metric " + quoted(metric_id) + " (not in the policy)");
    const Metric& m = p.metrics[static_cast<std::size_t>(metric)];
    if (m.kind == MetricKind::rate) {
      csv.fail(row.line, col(c_metric),
               "metric \"" + m.id + "\" is a rate (" + m.numerator + " / " + m.denominator +
                   "): report its numerator and denominator, not the rate");
    }
    const auto date = parse_office_date(row.fields[static_cast<std::size_t>(c_date)], &why);
    if (!date) csv.fail(row.line, col(c_date), why);
    if (!is_supported_date(*date)) csv.fail(row.line, col(c_date), unsupported_date_message(*date));
    const std::string_view text = row.fields[static_cast<std::size_t>(c_value)];
    std::int64_t value = 0;
    if (!detail::parse_office_integer(text, &value, &why))  // "1,330", "１３３０"
      csv.fail(row.line, col(c_value), why + ", got " + quoted(text));
    if (value < 0) {
      csv.fail(row.line, col(c_value),
               "value of \"" + m.id + "\" must be >= 0, got " + std::string(text));
    }
    cols.unit.push_back(unit);
    cols.metric.push_back(metric);
    cols.day.push_back(date->day_number());
    cols.value.push_back(value);
    if (c_segment >= 0) {
      const std::string seg(row.fields[static_cast<std::size_t>(c_segment)]);
      const int s = seg.empty() ? -1 : segment_index(p.campaign, seg);
      if (!seg.empty() && s < 0) {
        csv.fail(row.line, col(c_segment),
                 "unknown segment " + quoted(seg) + " (not in campaign.segments)");
      }
      cols.segment.push_back(s);
    }
    if (c_submitted >= 0) {
      // When the row was handed in: a real day, not before the day it is as of.
      const std::string_view text = row.fields[static_cast<std::size_t>(c_submitted)];
      std::int32_t day = kSubmissionUnknown;
      if (!text.empty()) {
        const auto submitted = parse_office_date(text, &why);
        if (!submitted) csv.fail(row.line, col(c_submitted), why);
        if (!is_supported_date(*submitted))
          csv.fail(row.line, col(c_submitted), unsupported_date_message(*submitted));
        if (*submitted < *date) {
          csv.fail(row.line, col(c_submitted),
                   "submitted " + submitted->iso() + " is before the row's date " + date->iso() +
                       " (a figure is handed in on or after the day it is as of)");
        }
        day = submitted->day_number();
      }
      cols.submitted.push_back(day);
    }
    lines.add(n, row.line);
    ++n;
    if (n == kSampleRows) {
      // Sized once from the rows so far (5 % spare) instead of doubling: at
      // national scale each doubling copies and touches hundreds of MB.
      const std::size_t read = body_bytes - csv.rest().size();
      if (read > 0) {
        const double per_row = static_cast<double>(read) / static_cast<double>(n);
        const auto more =
            static_cast<std::size_t>(static_cast<double>(csv.rest().size()) / per_row * 1.05);
        reserve(cols, n + more + 16);
      }
    }
    if (file && n % kReleaseRows == 0) file->release_before(csv.rest().data());
  }
}

}  // namespace

ProgressRows read_progress_rows(const Policy& p, std::istream& in, const std::string& source,
                                const TableFormat& format, TableNotes* notes) {
  detail::CsvReader csv(in, source, format);
  ProgressRows rows;
  RowLines lines;
  read_rows(p, csv, notes, rows.columns, lines, nullptr);
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
    read_rows(*policy, csv, notes, columns, lines, nullptr);
  }
  return index_rows(std::move(policy), std::move(columns), lines, source);
}

Progress read_progress_csv_file(PolicyPtr policy, const std::string& path) {
  return read_progress_csv_file(std::move(policy), path, TableFormat{});
}

Progress read_progress_csv_file(PolicyPtr policy, const std::string& path,
                                const TableFormat& format, TableNotes* notes) {
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
    read_rows(*policy, csv, notes, columns, lines, &file);
  }
  return index_rows(std::move(policy), std::move(columns), lines, path);
}

}  // namespace canbao
