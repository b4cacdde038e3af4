// A DataFrame's text columns as roster CSV text for the JSON ops (costs,
// unit_counts, compare with roster=; canbao/_readers.py _frame_csv): the
// bytes pandas' to_csv(index=False, lineterminator="\n") writes, in one C++
// pass instead of pandas' Python csv writer (about 8 us a row).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <string_view>
#include <vector>

namespace py = pybind11;

namespace canbao::python {
namespace {

// One field as Python's csv writer (QUOTE_MINIMAL, lineterminator "\n")
// writes it: quoted when it holds ',', '"' or '\n', quotes doubled; a row of
// one empty field is "" (an empty line would be no record).
void append_field(std::string& out, std::string_view text, bool alone) {
  if (text.find_first_of(",\"\n") == std::string_view::npos) {
    if (text.empty() && alone)
      out += "\"\"";
    else
      out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string_view utf8(PyObject* o) {
  Py_ssize_t size = 0;
  const char* text = PyUnicode_AsUTF8AndSize(o, &size);
  if (text == nullptr) throw py::error_already_set();
  return {text, static_cast<std::size_t>(size)};
}

// The CSV text of `header` and `columns` (1-D object arrays of str, one per
// header name, of equal length). TypeError for a cell that is not a str.
// (Lists, not std::vector: an STL caster of another translation unit built
// without pybind11/stl.h would be a different instantiation of the same type.)
py::str csv_text(const py::list& header_in, const py::list& columns_in) {
  std::vector<std::string> header;
  for (const py::handle h : header_in) header.push_back(py::cast<std::string>(h));
  std::vector<py::array> columns;
  for (const py::handle c : columns_in) columns.push_back(py::reinterpret_borrow<py::array>(c));
  if (header.size() != columns.size() || header.empty())
    throw py::value_error("csv_text: one column per header name");
  std::vector<const char*> bases;
  std::vector<py::ssize_t> strides;
  for (const py::array& c : columns) {
    if (!py::isinstance<py::array>(c) || c.ndim() != 1 || c.dtype().kind() != 'O' ||
        c.shape(0) != columns[0].shape(0))
      throw py::type_error("csv_text: expected one-dimensional object arrays of equal length");
    bases.push_back(static_cast<const char*>(c.data()));
    strides.push_back(c.strides(0));
  }
  const py::ssize_t n = columns[0].shape(0);
  const bool alone = columns.size() == 1;
  std::string out;
  out.reserve(static_cast<std::size_t>(n) * columns.size() * 8 + 64);
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c) out += ',';
    append_field(out, header[c], alone);
  }
  out += '\n';
  for (py::ssize_t i = 0; i < n; ++i) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      PyObject* o = *reinterpret_cast<PyObject* const*>(bases[c] + i * strides[c]);
      if (!PyUnicode_Check(o)) throw py::type_error("csv_text: a cell is not a str");
      if (c) out += ',';
      append_field(out, utf8(o), alone);
    }
    out += '\n';
  }
  PyObject* text = PyUnicode_DecodeUTF8(out.data(), static_cast<Py_ssize_t>(out.size()), nullptr);
  if (text == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(text);
}

}  // namespace

void bind_csv_text(py::module_& m) {
  m.def("csv_text", &csv_text, py::arg("header"), py::arg("columns"),
        "The CSV text pandas.DataFrame.to_csv(index=False, lineterminator='\\n') writes for "
        "columns of str (object arrays): quoted when a field holds ',', '\"' or a newline.");
}

}  // namespace canbao::python
