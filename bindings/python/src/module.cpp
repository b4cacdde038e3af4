// canbao._core: thin shims over the C++ API for the pure-Python package
// (bindings/python/canbao). Evaluations go through canbao::call_json, the same
// surface as the C ABI, so Python answers equal C++ answers; the batch path
// takes numpy arrays in place. Every pure C++ call runs without the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <map>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <canbao.h>
#include <canbao/batch.hpp>
#include <canbao/error.hpp>
#include <canbao/facts.hpp>
#include <canbao/json_api.hpp>
#include <canbao/person.hpp>
#include <canbao/policy.hpp>
#include <canbao/policy_test.hpp>
#include <canbao/recommender.hpp>
#include <canbao/reform.hpp>
#include <canbao/version.hpp>

#include "policy_handle.hpp"

namespace py = pybind11;

void bind_readers(py::module_& m);      // readers.cpp
void bind_unit_counts(py::module_& m);  // unit_counts.cpp (canbao.dask)

namespace canbao::python {
void bind_batch_columns(py::module_& m);  // batch_columns.cpp
void bind_text_codes(py::module_& m);     // text_codes.cpp
void bind_csv_text(py::module_& m);       // csv_text.cpp
namespace {

// Raises the package's exception class for a canbao::Error, with .path
// (the JSON path, "file:line:column", or argument name) and .message.
void raise_error(const Error& e) {
  const char* name = "Error";
  switch (e.kind()) {
    case ErrorKind::policy:
      name = "PolicyError";
      break;
    case ErrorKind::input:
      name = "InputError";
      break;
    case ErrorKind::invalid_argument:
      name = "ArgumentError";
      break;
    case ErrorKind::overflow:
      name = "OverflowError";
      break;
    case ErrorKind::internal:
      name = "InternalError";
      break;
  }
  py::object cls = py::module_::import("canbao._errors").attr(name);
  // The place as fields too (ErrorPlace): .line/.column of a CSV, .row of batch columns.
  const ErrorPlace& at = e.place();
  auto field = [](const std::optional<std::uint64_t>& v) -> py::object {
    return v ? py::object(py::int_(*v)) : py::object(py::none());
  };
  py::object exc = cls(py::str(e.what()), py::str(e.where()), py::str(e.message()),
                       py::arg("line") = field(at.line), py::arg("column") = field(at.column),
                       py::arg("row") = field(at.row));
  PyErr_SetObject(cls.ptr(), exc.ptr());
}

template <class T>
using InArray = py::array_t<T, py::array::c_style>;

std::string call(const PolicyHandle* handle, const std::string& request) {
  const Policy* policy = handle == nullptr ? nullptr : handle->policy.get();
  py::gil_scoped_release release;
  return canbao::call_json(policy, request);
}

template <class T>
py::array_t<T> output_array(const py::dict& out, const char* name, std::size_t n,
                            const char* needs = "scheme, actions, groups, fired_rows") {
  const std::string where = std::string("out.") + name;
  if (!out.contains(name))
    throw ArgumentError(where, std::string("missing (out= needs ") + needs + ")");
  const py::object obj = out[name];
  if (!py::array_t<T, py::array::c_style>::check_(obj)) {
    throw ArgumentError(where, std::string("expected a contiguous numpy array of ") +
                                   (sizeof(T) == 1 ? "uint8" : "uint64"));
  }
  auto a = py::reinterpret_borrow<py::array_t<T>>(obj);
  if (a.ndim() != 1 || static_cast<std::size_t>(a.size()) != n) {
    throw ArgumentError(
        where, "expected " + std::to_string(n) + " values, got " + std::to_string(a.size()));
  }
  if (!a.writeable()) throw ArgumentError(where, "the array is read-only");
  return a;
}

// Columns in place (the caller converted dtypes); outputs allocated here or given by the caller.
py::dict recommend_columns(const PolicyHandle& handle, std::int32_t as_of_day,
                           const InArray<std::uint8_t>& sex, const InArray<std::int32_t>& birth_day,
                           const InArray<std::uint8_t>& hukou_local,
                           const InArray<std::uint8_t>& insurance_status,
                           const InArray<std::uint8_t>& employment,
                           const InArray<std::uint16_t>& resident_grade_yuan,
                           const InArray<std::uint8_t>& flags, const py::list& facts,
                           const py::object& out, const std::string& fired) {
  // fired: "rows" (the uint64 words), "set" (the narrow uint8 set number and
  // the sets once), "none".
  if (fired != "rows" && fired != "set" && fired != "none")
    throw ArgumentError("fired", "expected \"rows\", \"set\" or None, got \"" + fired + "\"");
  const bool rows = fired == "rows", narrow = fired == "set";
  const auto n = static_cast<std::size_t>(sex.size());
  const std::pair<const char*, const py::array*> columns[] = {
      {"sex", &sex},
      {"birth_day", &birth_day},
      {"hukou_local", &hukou_local},
      {"insurance_status", &insurance_status},
      {"employment", &employment},
      {"resident_grade_yuan", &resident_grade_yuan},
      {"flags", &flags}};
  for (const auto& [name, array] : columns) {
    if (array->ndim() != 1) throw ArgumentError(name, "expected a one-dimensional array");
    if (static_cast<std::size_t>(array->size()) != n) {
      throw ArgumentError(
          name, "has " + std::to_string(array->size()) + " values, sex has " + std::to_string(n));
    }
  }
  if (as_of_day < -719162 || as_of_day > 2932896) {
    throw ArgumentError("as_of", "day " + std::to_string(as_of_day) + " is outside years 1..9999");
  }
  if (!handle.recommender) {
    throw ArgumentError("policy", "the policy has no recommendation section");
  }
  // Declared facts: one int32 column (or None: the default) per declaration,
  // in order; an empty list gives every fact its default.
  const FactDeclarations& declared = handle.recommender->facts();
  if (!facts.empty() && facts.size() != declared.size()) {
    throw ArgumentError("facts", std::to_string(facts.size()) +
                                     " fact columns, the policy declares " +
                                     std::to_string(declared.size()));
  }
  std::vector<InArray<std::int32_t>> fact_arrays;
  std::vector<const std::int32_t*> fact_columns(declared.size(), nullptr);
  fact_arrays.reserve(declared.size());
  for (std::size_t f = 0; f < facts.size(); ++f) {
    if (facts[f].is_none()) continue;
    const std::string name = "columns." + declared.facts[f].id;
    if (!InArray<std::int32_t>::check_(facts[f]))
      throw ArgumentError(name, "expected a contiguous numpy array of int32");
    fact_arrays.push_back(py::reinterpret_borrow<InArray<std::int32_t>>(facts[f]));
    const InArray<std::int32_t>& a = fact_arrays.back();
    if (a.ndim() != 1 || static_cast<std::size_t>(a.size()) != n) {
      throw ArgumentError(
          name, "has " + std::to_string(a.size()) + " values, sex has " + std::to_string(n));
    }
    fact_columns[f] = a.data();
  }
  py::array_t<std::uint8_t> scheme, actions, groups, fired_set;
  py::array_t<std::uint64_t> fired_rows;
  const Date as_of = Date::from_day_number(as_of_day);
  std::shared_ptr<const PreparedRecommendation> prepared;
  {
    py::gil_scoped_release release;  // the tables of a new as-of date take 0.2-1 ms
    prepared = handle.recommender->prepared(as_of);
  }
  // Before any output: the policy's tables may not number the sets.
  if (narrow && !prepared->has_fired_sets()) {
    throw ArgumentError("fired", "\"set\": no fired-set numbers on " + as_of.iso() + ": " +
                                     prepared->fired_sets_reason() + "; use fired=\"rows\"");
  }
  // Policies of over 64 rows: fired_rows is (n, words), word k holding rows 64k..64k+63.
  const auto words = static_cast<py::ssize_t>(handle.recommender->fired_row_words());
  if (out.is_none()) {
    scheme = py::array_t<std::uint8_t>(n);
    actions = py::array_t<std::uint8_t>(n);
    groups = py::array_t<std::uint8_t>(n);
    if (rows) {
      fired_rows = words == 1 ? py::array_t<std::uint64_t>(n)
                              : py::array_t<std::uint64_t>({static_cast<py::ssize_t>(n), words});
    }
    if (narrow) fired_set = py::array_t<std::uint8_t>(n);
  } else if (words > 1 && rows) {
    throw ArgumentError("out", "the policy has over 64 rows: fired_rows is (n, " +
                                   std::to_string(words) + "); call without out=");
  } else {
    // Caller-owned outputs (numpy's out= idiom): repeated calls reuse memory
    // instead of faulting in fresh pages. Exact dtype, contiguous, writeable.
    const py::dict d = out.cast<py::dict>();
    const char* needs = rows     ? "scheme, actions, groups, fired_rows"
                        : narrow ? "scheme, actions, groups, fired_set"
                                 : "scheme, actions, groups";
    scheme = output_array<std::uint8_t>(d, "scheme", n, needs);
    actions = output_array<std::uint8_t>(d, "actions", n, needs);
    groups = output_array<std::uint8_t>(d, "groups", n, needs);
    if (rows) fired_rows = output_array<std::uint64_t>(d, "fired_rows", n, needs);
    if (narrow) fired_set = output_array<std::uint8_t>(d, "fired_set", n, needs);
  }
  PersonColumns in{n,
                   sex.data(),
                   birth_day.data(),
                   hukou_local.data(),
                   insurance_status.data(),
                   employment.data(),
                   resident_grade_yuan.data(),
                   flags.data()};
  in.facts = fact_columns.data();
  in.fact_count = fact_columns.size();
  RecommendationColumns columns_out{scheme.mutable_data(), actions.mutable_data(),
                                    groups.mutable_data()};
  if (rows) columns_out.fired_rows = fired_rows.mutable_data();
  if (narrow) columns_out.fired_set = fired_set.mutable_data();
  {
    py::gil_scoped_release release;
    prepared->run(in, columns_out);
  }
  py::dict result;
  result["scheme"] = scheme;
  result["actions"] = actions;
  result["groups"] = groups;
  if (rows) result["fired_rows"] = fired_rows;
  if (narrow) {
    result["fired_set"] = fired_set;
    // The sets once: fired_sets[fired_set] is fired_rows ((count, words) past 64 rows).
    const auto count = static_cast<py::ssize_t>(prepared->fired_set_count());
    py::array_t<std::uint64_t> sets =
        words == 1 ? py::array_t<std::uint64_t>(count) : py::array_t<std::uint64_t>({count, words});
    std::uint64_t* to = sets.mutable_data();
    for (py::ssize_t k = 0; k < count; ++k) {
      const std::uint64_t* w = prepared->fired_set_words(static_cast<std::size_t>(k));
      std::copy(w, w + words, to + k * words);
    }
    result["fired_sets"] = sets;
  }
  return result;
}

// A policy's declared facts as plain dicts (the facts section's own keys).
py::list fact_declarations(const PolicyHandle& h) {
  py::list out;
  if (!h.recommender) return out;
  for (const FactDeclaration& f : h.recommender->facts().facts) {
    py::dict d;
    d["id"] = f.id;
    d["name"] = f.name;
    d["type"] = fact_type_name(f.type);
    py::list values;
    for (const FactValueName& v : f.values) values.append(py::make_tuple(v.id, v.name));
    d["values"] = values;
    d["min"] = f.min;
    d["max"] = f.max;
    d["column"] = f.column;
    d["default"] =
        f.default_value ? py::object(py::int_(*f.default_value)) : py::object(py::none());
    out.append(d);
  }
  return out;
}

// The built-in value lists as the policy extends them (facts.hpp
// BuiltinValues): {"insurance_status": (ids in code order), "employment": ...,
// "flags": (ids in bit order)}. A policy without a recommendation section
// has the built-in lists.
py::dict builtin_values(const PolicyHandle& h) {
  static const BuiltinValues none;
  const BuiltinValues& values = h.recommender ? h.recommender->facts().builtin : none;
  py::dict out;
  for (int l = 0; l < kBuiltinListCount; ++l) {
    const auto which = static_cast<BuiltinList>(l);
    py::tuple ids(static_cast<std::size_t>(values.count(which)));
    for (int code = 0; code < values.count(which); ++code)
      ids[static_cast<std::size_t>(code)] = values.name(which, code);
    out[builtin_list_name(which)] = ids;
  }
  return out;
}

// One value of declared fact `index` in its text form (FactDeclaration::parse);
// InputError naming `where` otherwise.
std::int32_t parse_fact(const PolicyHandle& h, std::size_t index, const std::string& text,
                        const std::string& where) {
  if (!h.recommender || index >= h.recommender->facts().size())
    throw ArgumentError("index", "no declared fact " + std::to_string(index));
  std::string why;
  const auto v = h.recommender->facts().facts[index].parse(text, &why);
  if (!v) throw InputError(where, why);
  return *v;
}

// A date argument by the rules of every other door (call_json's Request::date):
// exactly YYYY-MM-DD, a real day, inside supported_dates(); its day number.
std::int32_t day_number(const std::string& text, const std::string& where) {
  std::string why;
  const auto d = parse_iso_date(text, &why);
  if (!d) throw InputError(where, why);
  if (!is_supported_date(*d)) throw InputError(where, unsupported_date_message(*d));
  return d->day_number();
}

// Names of an enum's values in code order, from the core's own name function.
template <class E, class F>
py::tuple names(int count, F name) {
  py::tuple t(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) t[static_cast<std::size_t>(i)] = name(static_cast<E>(i));
  return t;
}

}  // namespace
}  // namespace canbao::python

PYBIND11_MODULE(_core, m) {
  canbao::python::bind_batch_columns(m);
  canbao::python::bind_text_codes(m);
  canbao::python::bind_csv_text(m);
  using namespace canbao;
  using canbao::python::PolicyHandle;
  m.doc() = "canbao native core: use the `canbao` package, not this module directly.";
  m.attr("__version__") = CANBAO_VERSION_STRING;
  m.attr("ABI_VERSION") = CANBAO_ABI_VERSION;

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const canbao::Error& e) {
      canbao::python::raise_error(e);
    }
  });

  py::class_<PolicyHandle>(m, "PolicyHandle", "A loaded, immutable policy (native handle).")
      .def_static(
          "from_json",
          [](const std::string& text, const std::string& source) {
            py::gil_scoped_release release;
            return PolicyHandle(load_policy(text, source));
          },
          py::arg("text"), py::arg("source") = "policy",
          "Loads and validates a policy from JSON text; PolicyError names the JSON path.")
      .def_static(
          "from_json_with_tables",
          [](const std::string& text, const std::map<std::string, std::string>& tables,
             const std::string& source) {
            // The unit tables the policy names, as text: nothing is read from disk.
            PolicyFiles files{tables};
            py::gil_scoped_release release;
            return PolicyHandle(load_policy(text, files, source));
          },
          py::arg("text"), py::arg("tables"), py::arg("source") = "policy",
          "Loads a policy whose unit table (docs/units-table.md) is given as text.")
      .def_static(
          "from_file",
          [](const std::string& path) {
            // A C path ends at its first NUL: "a.json\0x" would open "a.json".
            if (path.find('\0') != std::string::npos) {
              throw ArgumentError("path", "contains a NUL character");
            }
            py::gil_scoped_release release;
            return PolicyHandle(load_policy_file(path));
          },
          py::arg("path"), "Loads and validates a policy file.")
      .def(
          "to_json",
          [](const PolicyHandle& h, int indent) {
            py::gil_scoped_release release;
            return to_json(*h.policy, indent);
          },
          py::arg("indent") = 2, "Canonical JSON of the policy.")
      .def_property_readonly(
          "fingerprint", [](const PolicyHandle& h) { return h.policy->fingerprint(); },
          "SHA-256 (hex) of the canonical JSON.")
      .def(
          "reform",
          [](const PolicyHandle& h, const std::string& patch, const std::string& kind) {
            PatchKind k = PatchKind::detect;
            if (kind == "merge_patch") {
              k = PatchKind::merge_patch;
            } else if (kind == "json_patch") {
              k = PatchKind::json_patch;
            } else if (kind != "detect") {
              throw ArgumentError(
                  "kind", "expected detect, merge_patch or json_patch, got \"" + kind + "\"");
            }
            py::gil_scoped_release release;
            return PolicyHandle(apply_reform(*h.policy, patch, k));
          },
          py::arg("patch"), py::arg("kind") = "detect",
          "Applies a JSON Merge Patch (object) or JSON Patch (array) and validates the result.")
      .def_property_readonly(
          "provenance",
          [](const PolicyHandle& h) -> py::object {
            if (!h.policy->provenance) return py::none();
            py::dict d;
            d["base_fingerprint"] = h.policy->provenance->base_fingerprint;
            d["patch_kind"] = h.policy->provenance->patch_kind;
            d["patch"] = h.policy->provenance->patch;
            return std::move(d);
          },
          "For a reformed policy: its base fingerprint, patch kind and patch (canonical JSON); "
          "else None.")
      .def(
          "with_provenance",
          [](const PolicyHandle& h, const std::string& base, const std::string& kind,
             const std::string& patch) {
            // Unpickling a reformed policy: the same rules (same fingerprint) with the
            // provenance it was pickled with, which is not part of the canonical JSON.
            auto copy = std::make_shared<Policy>(*h.policy);
            copy->provenance = Provenance{base, kind, patch};
            return PolicyHandle(std::move(copy));
          },
          py::arg("base_fingerprint"), py::arg("patch_kind"), py::arg("patch"),
          "The same policy carrying the given provenance (for unpickling).")
      .def_property_readonly("facts", &canbao::python::fact_declarations,
                             "The declared facts: dicts of id, name, type, values ((id, name) "
                             "pairs), min, max, column and default (encoded, or None).")
      .def_property_readonly("builtin_values", &canbao::python::builtin_values,
                             "The built-in lists as the policy extends them: insurance_status, "
                             "employment and flags, each a tuple of ids in code (bit) order.")
      .def("parse_fact", &canbao::python::parse_fact, py::arg("index"), py::arg("text"),
           py::arg("where"),
           "The code of declared fact `index` for its text form; InputError naming `where`.")
      .def_property_readonly(
          "has_recommendation",
          [](const PolicyHandle& h) { return h.policy->recommendation.has_value(); },
          "Whether the policy has a recommendation section.");

  m.def(
      "call_json",
      [](const PolicyHandle* policy, const std::string& request) {
        return canbao::python::call(policy, request);
      },
      py::arg("policy").none(true), py::arg("request"),
      "Evaluates one JSON request (see canbao.h / json_api.hpp) and returns the JSON response.");

  m.def(
      "recommend_columns", &canbao::python::recommend_columns, py::arg("policy"),
      py::arg("as_of_day"), py::arg("sex").noconvert(), py::arg("birth_day").noconvert(),
      py::arg("hukou_local").noconvert(), py::arg("insurance_status").noconvert(),
      py::arg("employment").noconvert(), py::arg("resident_grade_yuan").noconvert(),
      py::arg("flags").noconvert(), py::arg("facts") = py::list(), py::arg("out") = py::none(),
      py::arg("fired") = "rows",
      "Batch recommendation over contiguous numpy columns of the exact dtypes (used in place);\n"
      "out: None, or a dict of caller-owned output arrays (scheme, actions, groups: uint8;\n"
      "fired_rows: uint64; fired_set: uint8) to fill instead of allocating; facts: one contiguous\n"
      "int32 array (or None: the default) per declared fact, in declaration order; fired: "
      "\"rows\"\n"
      "(fired_rows), \"set\" (fired_set and the fired_sets table) or \"none\".");

  m.def("json_ops", &canbao::json_ops, "The ops call_json answers.");
  bind_readers(m);
  bind_unit_counts(m);

  // One source of truth: the package's name tables, batch defaults, date rule
  // and case checker are the core's, not re-typed in Python.
  using canbao::python::names;
  m.attr("SEXES") = names<Sex>(2, [](Sex s) { return sex_name(s); });
  m.attr("SCHEMES") = names<Scheme>(3, [](Scheme s) { return scheme_name(s); });
  m.attr("ACTIONS") = names<Action>(kActionCount, [](Action a) { return action_name(a); });
  m.attr("INSURANCE_STATUSES") = names<InsuranceStatus>(
      kInsuranceStatusCount, [](InsuranceStatus s) { return insurance_status_name(s); });
  m.attr("EMPLOYMENTS") =
      names<Employment>(kEmploymentCount, [](Employment e) { return employment_name(e); });
  py::tuple flags(kPersonFlagCount);
  for (int i = 0; i < kPersonFlagCount; ++i)
    flags[static_cast<std::size_t>(i)] = person_flag_name(person_flag_at(i));
  m.attr("FLAGS") = flags;
  {
    const Person person;  // a column left out takes the one-person API's default
    py::dict defaults;
    defaults["hukou_local"] = static_cast<int>(person.hukou_local);
    defaults["insurance_status"] = static_cast<int>(person.insurance_status);
    defaults["employment"] = static_cast<int>(person.employment);
    defaults["resident_grade_yuan"] = static_cast<int>(person.resident_grade_yuan);
    defaults["flags"] = static_cast<int>(person.flags);
    m.attr("BATCH_DEFAULTS") = defaults;
  }
  m.def("day_number", &canbao::python::day_number, py::arg("text"), py::arg("where"),
        "Day number of an exact YYYY-MM-DD inside the supported range; InputError naming `where`.");
  m.def(
      "check_expectations",
      [](const std::string& op, const std::string& expect_json, const std::string& response_json) {
        py::list out;
        for (const CaseMismatch& m : check_expectations(op, expect_json, response_json)) {
          out.append(py::make_tuple(m.path, m.expected, m.got));
        }
        return out;
      },
      py::arg("op"), py::arg("expect_json"), py::arg("response_json"),
      "(path, expected, got) for each expectation of a policy case that does not hold "
      "(the checker of `canbao test`).");
  m.def(
      "parse_case_file",
      [](const std::string& text, const std::string& source, const std::string& base_dir) {
        const PolicyCaseFile file = parse_case_file(text, source, base_dir);
        py::dict d;
        d["policy"] = file.policy ? py::object(py::str(*file.policy)) : py::object(py::none());
        py::list cases;
        for (const PolicyTestCase& c : file.cases) {
          py::dict one;
          one["name"] = c.name;
          one["path"] = c.path;
          one["request"] = c.request;
          one["expect"] = c.expect;
          cases.append(one);
        }
        d["cases"] = cases;
        return d;
      },
      py::arg("text"), py::arg("source"), py::arg("base_dir") = "",
      "A case file parsed and validated as `canbao test` does (cases as request/expect JSON).");
}
