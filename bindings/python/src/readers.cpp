// canbao._core's table readers: a roster or a progress file's bytes read by
// the C++ readers (the CLI's rules: encodings, tabs, Chinese headers, ID
// numbers giving birth date and sex) and handed back as columns: numpy arrays
// of codes built here, text as object arrays. canbao.read_roster / read_progress
// (canbao/_readers.py) make the typed DataFrame. The bytes are not decoded in
// Python: the C++ reader does the encoding, without the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <istream>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <canbao/error.hpp>
#include <canbao/progress.hpp>
#include <canbao/roster.hpp>
#include <canbao/table_format.hpp>

#include "policy_handle.hpp"

namespace py = pybind11;

namespace canbao::python {
namespace {

// The Python bytes read in place (no copy); they outlive the read.
class BytesBuf : public std::streambuf {
 public:
  BytesBuf(const char* data, std::size_t size) {
    char* p = const_cast<char*>(data);  // only ever read
    setg(p, p, p + size);
  }
};

// Calls read(std::istream&) on the bytes in place, without the GIL.
template <class Read>
void read_bytes(const py::bytes& data, Read read) {
  char* bytes = nullptr;
  py::ssize_t size = 0;
  if (PyBytes_AsStringAndSize(data.ptr(), &bytes, &size) != 0) throw py::error_already_set();
  py::gil_scoped_release release;
  BytesBuf buf(bytes, static_cast<std::size_t>(size));
  std::istream in(&buf);
  read(in);
}

TableFormat table_format(const std::string& encoding, const std::string& delimiter) {
  TableFormat format;
  const auto e = parse_text_encoding(encoding);
  if (!e) throw ArgumentError("encoding", "expected utf-8 or gb18030, got \"" + encoding + "\"");
  format.encoding = *e;
  if (delimiter != "detect") {
    const auto d = parse_table_delimiter(delimiter);
    if (!d)
      throw ArgumentError("delimiter", "expected detect, comma or tab, got \"" + delimiter + "\"");
    format.delimiter = *d;
  }
  return format;
}

template <class T, class F>
py::array_t<T> column(std::size_t n, F value) {
  py::array_t<T> a(static_cast<py::ssize_t>(n));
  T* out = a.mutable_data();
  for (std::size_t i = 0; i < n; ++i) out[i] = value(i);
  return a;
}

// A numpy object array of n str built here (no list, no copy in Python), each
// decoded from UTF-8. `repeats`: a column of few distinct values (village,
// unit id, name): each distinct text is decoded once and its str shared.
template <class Text>
py::array text_array(std::size_t n, Text text, bool repeats) {
  py::array out(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)});
  auto** slots = static_cast<PyObject**>(out.mutable_data());
  constexpr std::size_t kMaxShared = 1 << 16;  // past that, a column of mostly distinct text
  std::unordered_map<std::string_view, PyObject*> shared;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& t = text(i);
    PyObject* value = nullptr;
    if (repeats) {
      const auto it = shared.find(t);
      if (it != shared.end()) {
        value = it->second;
        Py_INCREF(value);
      }
    }
    if (value == nullptr) {
      value = PyUnicode_DecodeUTF8(t.data(), static_cast<py::ssize_t>(t.size()), nullptr);
      if (value == nullptr) throw py::error_already_set();
      if (repeats && shared.size() < kMaxShared) shared.emplace(t, value);
    }
    Py_XDECREF(slots[i]);  // numpy fills a new object array with None
    slots[i] = value;
  }
  return out;
}

py::list strings(const std::vector<std::string>& v) {
  py::list out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = py::str(v[i]);
  return out;
}

const FactDeclarations& facts_of(const PolicyHandle* h) {
  static const FactDeclarations none;
  return h && h->policy->recommendation ? h->policy->recommendation->facts : none;
}

// Columns of the roster's valid rows; "rejects" when kept.
py::dict roster_columns(const py::bytes& data, const std::string& source,
                        std::optional<std::int32_t> as_of_day, bool keep_rejects,
                        const PolicyHandle* policy, const std::string& encoding,
                        const std::string& delimiter) {
  const TableFormat format = table_format(encoding, delimiter);
  const FactDeclarations& facts = facts_of(policy);
  // No as-of: no "born after as-of" check (the last supported day).
  const Date as_of = as_of_day ? Date::from_day_number(*as_of_day) : supported_dates().last;
  if (!is_supported_date(as_of)) throw InputError("as_of", unsupported_date_message(as_of));
  Roster roster;
  TableNotes notes;
  read_bytes(data, [&](std::istream& in) {
    roster = read_roster(in, source, as_of, keep_rejects, facts, format, &notes);
  });
  const std::vector<RosterPerson>& p = roster.persons;
  const std::size_t n = p.size();
  py::dict d;
  d["lines"] = column<std::int64_t>(n, [&](std::size_t i) { return p[i].line; });
  d["id"] = text_array(
      n, [&](std::size_t i) -> const std::string& { return p[i].id; }, false);
  d["id_number_masked"] = text_array(
      n, [&](std::size_t i) -> const std::string& { return p[i].id_number_masked; }, false);
  d["sex"] = column<std::uint8_t>(
      n, [&](std::size_t i) { return static_cast<std::uint8_t>(p[i].person.sex); });
  d["birth_day"] =
      column<std::int32_t>(n, [&](std::size_t i) { return p[i].person.birth_date.day_number(); });
  d["hukou_local"] = column<bool>(n, [&](std::size_t i) { return p[i].person.hukou_local; });
  d["insurance_status"] = column<std::uint8_t>(
      n, [&](std::size_t i) { return static_cast<std::uint8_t>(p[i].person.insurance_status); });
  d["employment"] = column<std::uint8_t>(
      n, [&](std::size_t i) { return static_cast<std::uint8_t>(p[i].person.employment); });
  d["resident_grade_yuan"] =
      column<std::uint16_t>(n, [&](std::size_t i) { return p[i].person.resident_grade_yuan; });
  d["flags"] = column<std::uint8_t>(n, [&](std::size_t i) { return p[i].person.flags; });
  py::list fact_columns;
  for (const FactDeclaration& f : facts.facts) {
    const FactValue fallback = f.default_value.value_or(0);
    fact_columns.append(column<std::int32_t>(n, [&](std::size_t i) {
      const auto it = p[i].person.facts.find(f.id);
      return it == p[i].person.facts.end() ? fallback : it->second;
    }));
  }
  d["facts"] = fact_columns;
  if (roster.unit_id_column > 0) {
    d["unit_id"] = text_array(
        n, [&](std::size_t i) -> const std::string& { return p[i].unit_id; }, true);
  } else {
    d["unit_id"] = py::none();
  }
  py::list extra;
  for (std::size_t c = 0; c < roster.extra_columns.size(); ++c) {
    extra.append(text_array(
        n, [&](std::size_t i) -> const std::string& { return p[i].extra[c]; }, true));
  }
  d["extra_columns"] = strings(roster.extra_columns);
  d["extra"] = extra;
  d["header"] = strings(roster.header);
  // The unit_id column as headed (单位编码 too): also among the extra columns.
  d["unit_id_header"] = roster.unit_id_column > 0 ? roster.header[roster.unit_id_column - 1] : "";
  d["source"] = roster.source;
  py::list rejects;
  for (const RosterReject& r : roster.rejects) {
    py::dict one;
    one["line"] = r.line;
    one["column"] = r.column;
    one["where"] = r.where;
    one["reason"] = r.reason;
    one["fields"] = strings(r.fields);
    rejects.append(one);
  }
  d["rejects"] = rejects;
  return d;
}

// Columns of the progress rows as read (every row checked as read_progress_csv
// checks it, duplicates too): unit and metric ids, day numbers, values.
py::dict progress_columns(const py::bytes& data, const std::string& source,
                          const PolicyHandle& policy, const std::string& encoding,
                          const std::string& delimiter) {
  const TableFormat format = table_format(encoding, delimiter);
  ProgressRows rows;
  TableNotes notes;
  read_bytes(data, [&](std::istream& in) {
    rows = read_progress_rows(*policy.policy, in, source, format, &notes);
    // The whole-file checks (duplicates name both lines) of read_progress_csv.
    const std::vector<std::size_t>& lines = rows.lines;
    Progress::from_columns(policy.policy, rows.columns, [&](std::size_t i) {
      return ErrorPlace{source, lines[i], std::nullopt, std::nullopt}.text();
    });
  });
  const ObservationColumns& c = rows.columns;
  const Policy& p = *policy.policy;
  const std::size_t n = c.unit.size();
  py::dict d;
  d["lines"] = column<std::int64_t>(n, [&](std::size_t i) { return rows.lines[i]; });
  // Unit and metric ids once each, taken by code (numpy) in Python.
  py::list unit_ids, metric_ids, segment_ids;
  for (const Unit& u : p.units.units) unit_ids.append(u.id);
  for (const Metric& m : p.metrics) metric_ids.append(m.id);
  segment_ids.append("");
  for (const auto& s : p.campaign.segments) segment_ids.append(s.id);
  d["unit_ids"] = unit_ids;
  d["metric_ids"] = metric_ids;
  d["segment_ids"] = segment_ids;
  d["unit"] = column<std::int32_t>(n, [&](std::size_t i) { return c.unit[i]; });
  d["metric"] = column<std::int32_t>(n, [&](std::size_t i) { return c.metric[i]; });
  d["day"] = column<std::int32_t>(n, [&](std::size_t i) { return c.day[i]; });
  d["value"] = column<std::int64_t>(n, [&](std::size_t i) { return c.value[i]; });
  // Segment codes shifted by one: 0 is the whole-unit figure.
  d["segment"] =
      c.segment.empty()
          ? py::object(py::none())
          : py::object(column<std::int32_t>(n, [&](std::size_t i) { return c.segment[i] + 1; }));
  d["submitted"] =
      c.submitted.empty()
          ? py::object(py::none())
          : py::object(column<std::int32_t>(n, [&](std::size_t i) { return c.submitted[i]; }));
  d["ignored_columns"] = strings(notes.ignored_columns);
  return d;
}

}  // namespace
}  // namespace canbao::python

void bind_readers(py::module_& m) {
  using canbao::python::PolicyHandle;
  m.def("read_roster_columns", &canbao::python::roster_columns, py::arg("data"), py::arg("source"),
        py::arg("as_of_day").none(true), py::arg("keep_rejects"), py::arg("policy").none(true),
        py::arg("encoding") = "utf-8", py::arg("delimiter") = "detect",
        "A roster's bytes read by the C++ roster reader: columns of codes (numpy) and lists of "
        "strings, the rejects when kept. as_of_day None: no born-after check.");
  m.def("read_progress_columns", &canbao::python::progress_columns, py::arg("data"),
        py::arg("source"), py::arg("policy"), py::arg("encoding") = "utf-8",
        py::arg("delimiter") = "detect",
        "A progress file's bytes read and checked by the C++ progress reader: the rows as "
        "columns of codes (unit, metric, segment + 1) with the id lists to decode them.");
  m.def(
      "check_table_text",
      [](const py::bytes& data, const std::string& source) {
        canbao::python::read_bytes(data,
                                   [&](std::istream& in) { canbao::check_table_text(in, source); });
      },
      py::arg("data"), py::arg("source"),
      "Reads a table's records with the table readers' own checks (encoding, quoting): "
      "InputError source:line:column at the first problem.");
}
