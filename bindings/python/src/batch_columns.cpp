// Column conversions for Policy.recommend_batch on DataFrames
// (bindings/python/canbao/_columns.py) that numpy does slowly at 10 M rows:
// a small table looked up by category codes (numpy's take first widens the
// codes to intp), datetime64[ns] to day numbers (numpy's astype goes through a
// generic unit conversion), and which of the 256 byte values a column holds.
// Each is one pass without the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <vector>

#include <canbao/sex.hpp>

namespace py = pybind11;

namespace canbao::python {
namespace {

template <class T>
using InArray = py::array_t<T, py::array::c_style>;

// Whether `a` holds T. By kind and size, not dtype identity: numpy has equal
// dtypes that are distinct objects (int64 as 'l' or 'q', dtypes unpickled on a
// Dask worker), and identity refused those.
template <class T>
bool holds(const py::array& a) {
  const py::dtype want = py::dtype::of<T>();
  return a.dtype().kind() == want.kind() && a.dtype().itemsize() == want.itemsize();
}

// out[i] = table[codes[i]]; a negative code (a missing cell) gives `fill`.
// Returns the first row of a negative code, or -1.
template <class Code, class Value>
py::ssize_t lookup_into(const py::array& table_in, const py::array& codes_in, py::array& out_any,
                        std::int64_t fill) {
  const auto table = py::reinterpret_borrow<InArray<Value>>(table_in);
  const auto codes = py::reinterpret_borrow<InArray<Code>>(codes_in);
  auto out = py::reinterpret_borrow<InArray<Value>>(out_any);
  const auto n = codes.size();
  const auto size = static_cast<std::int64_t>(table.size());
  const Value* t = table.data();
  const Code* c = codes.data();
  Value* o = out.mutable_data();
  const Value missing = static_cast<Value>(fill);
  py::ssize_t first_missing = -1;
  py::ssize_t bad = -1;
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < n; ++i) {
      const auto code = static_cast<std::int64_t>(c[i]);
      if (code >= 0 && code < size) {
        o[i] = t[code];
      } else {
        o[i] = missing;
        if (code >= size && bad < 0) bad = i;
        if (code < 0 && first_missing < 0) first_missing = i;
      }
    }
  }
  if (bad >= 0) {
    throw py::value_error("code " + std::to_string(static_cast<std::int64_t>(c[bad])) + " at row " +
                          std::to_string(bad) + " is past the table of " + std::to_string(size));
  }
  return first_missing;
}

template <class Value>
py::ssize_t lookup_value(const py::array& table, const py::array& codes, py::array& out,
                         std::int64_t fill) {
  if (holds<std::int8_t>(codes)) return lookup_into<std::int8_t, Value>(table, codes, out, fill);
  if (holds<std::uint8_t>(codes)) return lookup_into<std::uint8_t, Value>(table, codes, out, fill);
  if (holds<std::int16_t>(codes)) return lookup_into<std::int16_t, Value>(table, codes, out, fill);
  if (holds<std::int32_t>(codes)) return lookup_into<std::int32_t, Value>(table, codes, out, fill);
  if (holds<std::int64_t>(codes)) return lookup_into<std::int64_t, Value>(table, codes, out, fill);
  throw py::type_error("codes: expected int8, uint8, int16, int32 or int64");
}

// (table[codes] with `fill` for negative codes, first row of a negative code or -1).
py::tuple lookup(const py::array& table, const py::array& codes, std::int64_t fill) {
  if (table.ndim() != 1 || codes.ndim() != 1 || !(codes.flags() & py::array::c_style))
    throw py::type_error("lookup: expected one-dimensional contiguous arrays");
  py::array out(table.dtype(), std::vector<py::ssize_t>{codes.size()});
  py::ssize_t first_missing = -1;
  if (holds<std::uint8_t>(table))
    first_missing = lookup_value<std::uint8_t>(table, codes, out, fill);
  else if (holds<std::uint16_t>(table))
    first_missing = lookup_value<std::uint16_t>(table, codes, out, fill);
  else if (holds<std::int16_t>(table))
    first_missing = lookup_value<std::int16_t>(table, codes, out, fill);
  else if (holds<std::int32_t>(table))
    first_missing = lookup_value<std::int32_t>(table, codes, out, fill);
  else
    throw py::type_error("lookup: the table must be uint8, uint16, int16 or int32");
  return py::make_tuple(out, first_missing);
}

// datetime64[ns] (as int64) to day numbers since 1970-01-01, rounded down (a
// time of day is the same day). Returns (days, first row of NaT or -1).
py::tuple days_from_ns(const InArray<std::int64_t>& ns) {
  constexpr std::int64_t kDay = 86'400'000'000'000;
  constexpr std::int64_t kNaT = INT64_MIN;
  const auto n = ns.size();
  InArray<std::int32_t> days(n);
  const std::int64_t* in = ns.data();
  std::int32_t* out = days.mutable_data();
  py::ssize_t first_nat = -1;
  {
    py::gil_scoped_release release;
    // Branch-free (a division by a constant is a multiply); NaT is looked for
    // in a second pass only when one was seen.
    bool any_nat = false;
    for (py::ssize_t i = 0; i < n; ++i) {
      const std::int64_t v = in[i];
      const std::int64_t q = v / kDay;
      out[i] =
          static_cast<std::int32_t>(q - (v - q * kDay < 0));  // ±292 years of ns fit int32 days
      any_nat |= v == kNaT;
    }
    for (py::ssize_t i = 0; any_nat && i < n; ++i) {
      if (in[i] == kNaT) {
        first_nat = i;
        break;
      }
    }
  }
  return py::make_tuple(days, first_nat);
}

// Which byte values occur: a bool array of 256.
py::array_t<bool> byte_values(const InArray<std::uint8_t>& values) {
  bool seen[256] = {};
  const std::uint8_t* v = values.data();
  const auto n = values.size();
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < n; ++i) seen[v[i]] = true;
  }
  py::array_t<bool> out(256);
  for (int i = 0; i < 256; ++i) out.mutable_data()[i] = seen[i];
  return out;
}

}  // namespace

void bind_batch_columns(py::module_& m) {
  m.def("lookup", &lookup, py::arg("table"), py::arg("codes"), py::arg("fill"),
        "(table[codes], first row of a negative code or -1): negative codes (missing cells) take "
        "fill.");
  m.def("days_from_ns", &days_from_ns, py::arg("ns").noconvert(),
        "(int32 day numbers of int64 datetime64[ns] values, first row of NaT or -1).");
  m.def("byte_values", &byte_values, py::arg("values").noconvert(),
        "Which of the 256 values a uint8 array holds (bool[256]).");
  py::tuple spellings(std::size(kSexSpellings));
  std::size_t i = 0;
  for (const SexSpelling& s : kSexSpellings)
    spellings[i++] = py::make_tuple(py::str(s.text.data(), s.text.size()), static_cast<int>(s.sex));
  m.attr("SEX_SPELLINGS") = spellings;
}

}  // namespace canbao::python
