// Text columns of Policy.recommend_batch (bindings/python/canbao/_columns.py)
// as codes into their distinct values, in one C++ pass: pandas.factorize on an
// object column costs about 40x the numpy path, and a roster holds only a few
// distinct names ("male", "男", "resident_paying", "farmer"). The distinct
// values are then converted in Python (same spellings, same errors) and looked
// up by the codes (batch_columns.cpp).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace py = pybind11;

namespace canbao::python {
namespace {

// Codes by content, first-seen order; -1 for an empty cell. `first` gets the
// row of each new value.
class Distinct {
 public:
  std::int32_t code(std::string_view key, py::ssize_t row) {
    if (key.empty()) return -1;
    const auto [it, added] = codes_.try_emplace(key, static_cast<std::int32_t>(first_.size()));
    if (added) first_.push_back(row);
    return it->second;
  }
  const std::vector<std::int64_t>& first() const { return first_; }

 private:
  std::unordered_map<std::string_view, std::int32_t> codes_;
  std::vector<std::int64_t> first_;
};

py::tuple result(const py::array_t<std::int32_t>& codes, const Distinct& d) {
  py::array_t<std::int64_t> first(static_cast<py::ssize_t>(d.first().size()));
  // No distinct value (every cell missing): nothing to copy, and memcpy of a
  // null source is undefined even for zero bytes.
  if (!d.first().empty())
    std::memcpy(first.mutable_data(), d.first().data(), d.first().size() * sizeof(std::int64_t));
  return py::make_tuple(codes, first);
}

// An object column of str (np.str_ too), None, NaN and pandas.NA (`na`).
// Equal strings are usually the same object (interned, or one object
// repeated), so a small cache by address answers most rows without reading
// the text; the text (UTF-8, kept by the str object) decides otherwise.
py::object object_codes(const py::array& values, const py::handle na) {
  const py::ssize_t n = values.shape(0);
  const py::ssize_t stride = values.strides(0);
  const char* base = static_cast<const char*>(values.data());
  py::array_t<std::int32_t> codes(n);
  std::int32_t* out = codes.mutable_data();
  Distinct distinct;
  constexpr std::size_t kCache = 1024;  // direct-mapped: bounded, never grows
  struct Slot {
    PyObject* object = nullptr;
    std::int32_t code = 0;
  };
  std::vector<Slot> cache(kCache);
  for (py::ssize_t i = 0; i < n; ++i) {
    PyObject* o = *reinterpret_cast<PyObject* const*>(base + i * stride);
    Slot& slot = cache[(reinterpret_cast<std::uintptr_t>(o) >> 4) % kCache];
    if (slot.object == o) {
      out[i] = slot.code;
      continue;
    }
    std::int32_t code = -1;
    if (PyUnicode_Check(o)) {
      Py_ssize_t size = 0;
      const char* text = PyUnicode_AsUTF8AndSize(o, &size);
      if (text == nullptr) {  // a lone surrogate: not text the readers take; pandas decides
        PyErr_Clear();
        return py::none();
      }
      code = distinct.code(std::string_view(text, static_cast<std::size_t>(size)), i);
    } else if (!(o == Py_None || o == na.ptr() ||
                 (PyFloat_Check(o) && std::isnan(PyFloat_AS_DOUBLE(o))))) {
      return py::none();  // numbers, dates, mixed objects: pandas.factorize
    }
    slot = Slot{o, code};
    out[i] = code;
  }
  return result(codes, distinct);
}

// A numpy str_ column (fixed-width UCS4, zero-padded): equal text is equal
// bytes, so the items are the keys, without the GIL.
py::tuple unicode_codes(const py::array& values) {
  const py::ssize_t n = values.shape(0);
  const py::ssize_t stride = values.strides(0);
  const auto width = static_cast<std::size_t>(values.itemsize());
  const char* base = static_cast<const char*>(values.data());
  const std::string empty(width, '\0');
  py::array_t<std::int32_t> codes(n);
  std::int32_t* out = codes.mutable_data();
  Distinct distinct;
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < n; ++i) {
      const std::string_view item(base + i * stride, width);
      out[i] = item == empty ? -1 : distinct.code(item, i);
    }
  }
  return result(codes, distinct);
}

// (int32 codes, int64 first row of each distinct value) of a text column, or
// None when it holds something else than text and missing cells.
py::object text_codes(const py::array& values, const py::object& na) {
  if (values.ndim() != 1) throw py::type_error("text_codes: expected a one-dimensional array");
  const char kind = values.dtype().kind();
  if (kind == 'O') return object_codes(values, na);
  if (kind == 'U' && values.itemsize() > 0) return unicode_codes(values);
  return py::none();
}

}  // namespace

void bind_text_codes(py::module_& m) {
  m.def("text_codes", &text_codes, py::arg("values"), py::arg("na"),
        "(int32 codes, int64 first row of each distinct value) of an object column of str, "
        "None, NaN and `na`, or of a numpy str_ column, in first-seen order (as "
        "pandas.factorize); \"\" and missing cells are -1. None for any other cell.");
}

}  // namespace canbao::python
