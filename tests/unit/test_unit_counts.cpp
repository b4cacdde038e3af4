// Per-unit counts of a roster (unit_counts.hpp): rows linked by unit_id,
// counted at their unit and every unit above it, next to the unit's targets;
// unknown units and a missing unit_id column are errors naming the place.
#include <canbao/error.hpp>
#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>
#include <canbao/roster.hpp>
#include <canbao/unit_counts.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "cli_run.hpp"

namespace {

using namespace canbao;
using canbao_test::CliRun;
using canbao_test::run_cli;
using canbao_test::unique_temp_path;

const std::string kPolicy = CANBAO_SOURCE_DIR "/examples/policies/004-shiyan-2023.json";
const Date kAsOf = *Date::from_ymd(2023, 6, 30);

// 004's age rule (二, 三): men under 45 -> employee scheme; women 40+ ->
// resident; uninsured local residents 60+ -> resident with back pay.
// a: man, 43 on 2023-06-30          -> employee, enroll_employee   (village-a)
// b: woman, 63                      -> resident, enroll_resident + back_pay (village-a)
// c: woman, 48                      -> resident, enroll_resident   (village-b)
// d: man, 32, no unit               -> employee                    (unlinked)
const std::string kRoster =
    "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
    "resident_grade_yuan,flags,unit_id\n"
    "a,,甲,male,1980-03-01,true,none,farmer,,,village-a\n"
    "b,,乙,female,1960-01-01,true,none,farmer,,,village-a\n"
    "c,,丙,female,1975-05-05,true,none,farmer,,,village-b\n"
    "d,,丁,male,1990-07-01,true,none,farmer,,,\n";

struct Fixture {
  PolicyPtr policy = load_policy_file(kPolicy);
  Recommender recommender{policy};
  Roster read(const std::string& text) const {
    std::istringstream in(text);
    return read_roster(in, "r.csv", kAsOf, false, recommender.facts());
  }
  RosterUnitCounts counts(const std::string& text) const {
    const Roster roster = read(text);
    return count_by_unit(*policy, roster, roster_unit_indices(*policy, roster),
                         recommend_roster(recommender, roster, kAsOf));
  }
  const UnitCounts& unit(const RosterUnitCounts& c, const std::string& id) const {
    return c.units[static_cast<std::size_t>(policy->units.find(id))];
  }
};

std::int64_t scheme(const UnitCounts& c, Scheme s) {
  return c.schemes[static_cast<std::size_t>(s)];
}
std::int64_t action(const UnitCounts& c, Action a) {
  return c.actions[static_cast<std::size_t>(a)];
}

TEST(UnitCounts, VillagesCountTheirRowsAndTheTownAddsThemUp) {
  const Fixture f;
  const RosterUnitCounts c = f.counts(kRoster);
  EXPECT_EQ(c.persons, 4);

  const UnitCounts& a = f.unit(c, "village-a");
  EXPECT_EQ(a.persons, 2);
  EXPECT_EQ(a.own_persons, 2);
  EXPECT_EQ(scheme(a, Scheme::employee), 1);
  EXPECT_EQ(scheme(a, Scheme::resident), 1);
  EXPECT_EQ(action(a, Action::back_pay), 1);
  EXPECT_EQ(action(a, Action::enroll_resident), 1);
  EXPECT_EQ(a.insurance_status[static_cast<std::size_t>(InsuranceStatus::none)], 2);

  const UnitCounts& b = f.unit(c, "village-b");
  EXPECT_EQ(b.persons, 1);
  EXPECT_EQ(scheme(b, Scheme::resident), 1);
  EXPECT_EQ(action(b, Action::back_pay), 0);

  // The town has no rows of its own: its villages' 2 + 1.
  const UnitCounts& town = f.unit(c, "shiyan");
  EXPECT_EQ(town.own_persons, 0);
  EXPECT_EQ(town.persons, 3);
  EXPECT_EQ(scheme(town, Scheme::employee), 1);
  EXPECT_EQ(scheme(town, Scheme::resident), 2);

  EXPECT_EQ(f.unit(c, "village-c").persons, 0);
  // d has no unit: counted apart, never dropped.
  EXPECT_EQ(c.unlinked.persons, 1);
  EXPECT_EQ(scheme(c.unlinked, Scheme::employee), 1);
}

TEST(UnitCounts, AnUnknownUnitNamesItsLineAndColumn) {
  const Fixture f;
  const Roster roster = f.read(kRoster.substr(0, kRoster.find("d,,")) +
                               "d,,丁,male,1990-07-01,true,none,farmer,,,village-z\n");
  try {
    roster_unit_indices(*f.policy, roster);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    // Line 5 (header + 4th row), column 11 (unit_id).
    EXPECT_EQ(e.where(), "r.csv:5:11");
    EXPECT_NE(std::string(e.what()).find("unknown unit \"village-z\""), std::string::npos);
  }
}

TEST(UnitCounts, ARosterWithoutUnitIdIsRefusedNotCountedAsUnlinked) {
  const Fixture f;
  const std::string no_unit =
      "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
      "resident_grade_yuan,flags\n"
      "a,,甲,male,1980-03-01,true,none,farmer,,\n";
  const Roster roster = f.read(no_unit);
  EXPECT_THROW(roster_unit_indices(*f.policy, roster), InputError);
  EXPECT_THROW(count_by_unit(*f.policy, roster, {}, {}), ArgumentError);
}

TEST(UnitCounts, TheJsonOpAndTheCsvWriterCarryTheSameCountsAndTargets) {
  const Fixture f;
  const nlohmann::json j = nlohmann::json::parse(call_json(
      *f.policy,
      nlohmann::json{{"op", "unit_counts"}, {"as_of", "2023-06-30"}, {"roster_csv", kRoster}}
          .dump()));
  EXPECT_EQ(j["persons"], 4);
  const nlohmann::json& a = j["units"][static_cast<std::size_t>(f.policy->units.find("village-a"))];
  EXPECT_EQ(a["unit_id"], "village-a");
  EXPECT_EQ(a["persons"], 2);
  EXPECT_EQ(a["schemes"]["employee"], 1);
  EXPECT_EQ(a["actions"]["back_pay"], 1);
  const Unit& va =
      f.policy->units.units[static_cast<std::size_t>(f.policy->units.find("village-a"))];
  EXPECT_EQ(a["targets"]["expansion_enrolled"],
            va.target(f.policy->metric_index("expansion_enrolled"))->value.decimal_string());
  EXPECT_EQ(j["unlinked"]["persons"], 1);

  std::ostringstream csv;
  write_unit_counts_csv(csv, *f.policy, f.counts(kRoster));
  const std::string text = csv.str();
  EXPECT_EQ(text.substr(0, text.find(',', 0)), "unit_id");
  // village-a: 2 persons, 2 own, employee 1, resident 1, none 0.
  EXPECT_NE(text.find("\nvillage-a,长寿湖村,village,2,2,1,1,0,"), std::string::npos);
  // The unlinked row last, with an empty unit id.
  EXPECT_NE(text.find("\n,,,1,1,1,0,0,"), std::string::npos);
}

TEST(UnitCounts, CliByUnitWritesTheCountsAndRefusesAnUnknownUnitWithoutOutput) {
  const std::string roster = unique_temp_path("by-unit.csv");
  { std::ofstream(roster) << kRoster; }
  const CliRun ok =
      run_cli("recommend " + kPolicy + " --roster " + roster + " --as-of 2023-06-30 --by-unit");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("\nshiyan,石堰镇,town,3,0,1,2,0,"), std::string::npos) << ok.out;

  { std::ofstream(roster) << kRoster << "e,,戊,male,1990-07-01,true,none,farmer,,,nowhere\n"; }
  const std::string out = unique_temp_path("by-unit-out.csv");
  const CliRun bad = run_cli("recommend " + kPolicy + " --roster " + roster +
                             " --as-of 2023-06-30 --by-unit --out " + out);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find(":6:11: unknown unit \"nowhere\""), std::string::npos) << bad.err;
  EXPECT_FALSE(std::ifstream(out).good());
}

}  // namespace

// The two steps of canbao.dask: own counts of two parts (a, b | c, d) from the
// result columns, added up, then rolled up once, equal count_by_unit of the
// whole roster (a town's 3 = village-a's a, b + village-b's c).
TEST(UnitCounts, OwnCountsOfPartsAddUpAndRollUpToTheWhole) {
  const Fixture f;
  const Roster roster = f.read(kRoster);
  const std::vector<int> units = roster_unit_indices(*f.policy, roster);
  const std::vector<RosterResult> results = recommend_roster(f.recommender, roster, kAsOf);
  std::vector<std::int32_t> unit(units.begin(), units.end());
  std::vector<std::uint8_t> scheme, actions, groups, status;
  for (std::size_t i = 0; i < results.size(); ++i) {
    scheme.push_back(static_cast<std::uint8_t>(results[i].scheme));
    actions.push_back(results[i].actions);
    groups.push_back(results[i].groups);
    status.push_back(static_cast<std::uint8_t>(roster.persons[i].person.insurance_status));
  }
  auto part = [&](std::size_t from) {
    return count_own_by_unit(
        *f.policy,
        UnitCountColumns{2, unit.data() + from, scheme.data() + from, actions.data() + from,
                         groups.data() + from, status.data() + from});
  };
  RosterUnitCounts own = part(0);
  const RosterUnitCounts second = part(2);
  EXPECT_EQ(f.unit(own, "shiyan").persons, 0);  // own counts: nobody is linked to the town
  EXPECT_EQ(f.unit(own, "village-a").persons, 2);
  own.persons += second.persons;
  for (std::size_t u = 0; u < own.units.size(); ++u) {
    own.units[u].persons += second.units[u].persons;
    own.units[u].own_persons += second.units[u].own_persons;
    for (std::size_t s = 0; s < 3; ++s) own.units[u].schemes[s] += second.units[u].schemes[s];
    for (std::size_t a = 0; a < own.units[u].actions.size(); ++a)
      own.units[u].actions[a] += second.units[u].actions[a];
    for (std::size_t g = 0; g < own.units[u].groups.size(); ++g)
      own.units[u].groups[g] += second.units[u].groups[g];
    for (std::size_t s = 0; s < own.units[u].insurance_status.size(); ++s)
      own.units[u].insurance_status[s] += second.units[u].insurance_status[s];
  }
  own.unlinked = second.unlinked;  // d is in the second part; the first has none
  const RosterUnitCounts rolled = roll_up_unit_counts(*f.policy, own);
  EXPECT_EQ(f.unit(rolled, "shiyan").persons, 3);
  EXPECT_EQ(f.unit(rolled, "shiyan").own_persons, 0);
  std::ostringstream two_step, whole;
  write_unit_counts_json(two_step, *f.policy, rolled);
  write_unit_counts_json(whole, *f.policy, count_by_unit(*f.policy, roster, units, results));
  EXPECT_EQ(two_step.str(), whole.str());

  unit[1] = 99;
  try {
    part(0);
    FAIL() << "expected ArgumentError";
  } catch (const ArgumentError& e) {
    EXPECT_EQ(e.where(), "columns.unit[1]");
  }
}
