// canbao._core.UnitCounter: per-unit counts in two steps for a roster counted
// in parts (canbao.dask): own counts of one part at C speed, added up across
// parts as int64 matrices, then rolled up the unit tree once by the library
// (roll_up_unit_counts), so Python never re-implements the roll-up.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <canbao/error.hpp>
#include <canbao/facts.hpp>
#include <canbao/policy.hpp>
#include <canbao/unit_counts.hpp>

namespace py = pybind11;

namespace canbao::python {
namespace {

template <class T>
using InArray = py::array_t<T, py::array::c_style | py::array::forcecast>;

// Matrix columns: persons, own_persons, 3 schemes, the actions, the groups,
// the insurance statuses. Rows: the policy's units, then the unlinked persons.
constexpr std::size_t kFixed = 2 + 3 + kActionCount + kGroupCount;

struct UnitCounter {
  explicit UnitCounter(PolicyPtr p) : policy(std::move(p)) {
    statuses = policy->recommendation
                   ? static_cast<std::size_t>(
                         policy->recommendation->facts.builtin.count(BuiltinList::insurance_status))
                   : 0;
  }
  std::size_t width() const { return kFixed + statuses; }
  std::size_t rows() const { return policy->units.units.size() + 1; }

  PolicyPtr policy;
  std::size_t statuses = 0;
};

void put(const UnitCounts& c, std::int64_t* row) {
  row[0] = c.persons;
  row[1] = c.own_persons;
  std::size_t k = 2;
  for (std::int64_t n : c.schemes) row[k++] = n;
  for (std::int64_t n : c.actions) row[k++] = n;
  for (std::int64_t n : c.groups) row[k++] = n;
  for (std::int64_t n : c.insurance_status) row[k++] = n;
}

void take(const std::int64_t* row, std::size_t statuses, UnitCounts& c) {
  c.persons = row[0];
  c.own_persons = row[1];
  std::size_t k = 2;
  for (std::int64_t& n : c.schemes) n = row[k++];
  for (std::int64_t& n : c.actions) n = row[k++];
  for (std::int64_t& n : c.groups) n = row[k++];
  c.insurance_status.assign(row + k, row + k + statuses);
}

py::array_t<std::int64_t> count_own(const UnitCounter& self, const InArray<std::int32_t>& unit,
                                    const InArray<std::uint8_t>& scheme,
                                    const InArray<std::uint8_t>& actions,
                                    const InArray<std::uint8_t>& groups,
                                    const InArray<std::uint8_t>& insurance_status) {
  const auto n = static_cast<std::size_t>(unit.size());
  const std::pair<const char*, py::ssize_t> sizes[] = {
      {"scheme", scheme.size()},
      {"actions", actions.size()},
      {"groups", groups.size()},
      {"insurance_status", insurance_status.size()}};
  for (const auto& [name, size] : sizes) {
    if (static_cast<std::size_t>(size) != n)
      throw ArgumentError(name, "expected " + std::to_string(n) + " values (one per unit), got " +
                                    std::to_string(size));
  }
  py::array_t<std::int64_t> out({self.rows(), self.width()});
  std::int64_t* data = out.mutable_data();
  {
    py::gil_scoped_release release;
    const UnitCountColumns columns{
        n, unit.data(), scheme.data(), actions.data(), groups.data(), insurance_status.data()};
    const RosterUnitCounts own = count_own_by_unit(*self.policy, columns);
    for (std::size_t u = 0; u < own.units.size(); ++u) put(own.units[u], data + u * self.width());
    put(own.unlinked, data + own.units.size() * self.width());
  }
  return out;
}

std::string roll_up(const UnitCounter& self, const InArray<std::int64_t>& own_matrix) {
  if (own_matrix.ndim() != 2 || static_cast<std::size_t>(own_matrix.shape(0)) != self.rows() ||
      static_cast<std::size_t>(own_matrix.shape(1)) != self.width())
    throw ArgumentError("own", "expected a " + std::to_string(self.rows()) + " x " +
                                   std::to_string(self.width()) + " matrix (count_own's shape)");
  const std::int64_t* data = own_matrix.data();
  std::ostringstream out;
  {
    py::gil_scoped_release release;
    RosterUnitCounts own;
    own.units.resize(self.policy->units.units.size());
    for (std::size_t u = 0; u < own.units.size(); ++u) {
      own.units[u].unit = static_cast<int>(u);
      take(data + u * self.width(), self.statuses, own.units[u]);
      own.persons += own.units[u].persons;
    }
    take(data + own.units.size() * self.width(), self.statuses, own.unlinked);
    own.persons += own.unlinked.persons;
    write_unit_counts_json(out, *self.policy, roll_up_unit_counts(*self.policy, own));
  }
  return out.str();
}

// Unit index of each id: -1 for "", -2 for an id the policy does not have
// (the caller names the row).
py::array_t<std::int32_t> unit_indices(const UnitCounter& self,
                                       const std::vector<std::string>& ids) {
  py::array_t<std::int32_t> out(static_cast<py::ssize_t>(ids.size()));
  std::int32_t* data = out.mutable_data();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const int u = ids[i].empty() ? -1 : self.policy->units.find(ids[i]);
    data[i] = ids[i].empty() || u >= 0 ? u : -2;  // find gives -1 for an unknown id
  }
  return out;
}

}  // namespace
}  // namespace canbao::python

void bind_unit_counts(py::module_& m) {
  using canbao::python::UnitCounter;
  py::class_<UnitCounter>(m, "UnitCounter",
                          "Per-unit counts of a roster counted in parts (canbao.dask).")
      .def(py::init([](const std::string& text) {
             py::gil_scoped_release release;
             return UnitCounter(canbao::load_policy(text, "policy"));
           }),
           py::arg("policy_json"), "Loads the policy (its canonical JSON) once.")
      .def("unit_indices", &canbao::python::unit_indices, py::arg("ids"),
           "int32 unit index of each id: -1 for \"\", -2 for an id the policy lacks.")
      .def("count_own", &canbao::python::count_own, py::arg("unit"), py::arg("scheme"),
           py::arg("actions"), py::arg("groups"), py::arg("insurance_status"),
           "Own counts of one part: an int64 matrix, one row per unit then the unlinked "
           "persons; parts' matrices add up.")
      .def("roll_up", &canbao::python::roll_up, py::arg("own"),
           "The summed own counts rolled up the unit tree: the unit_counts op's JSON text.");
}
