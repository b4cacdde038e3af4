// The policy reader (src/policy_*.cpp) and canonical writer: every example
// loads, strict validation names the JSON path, round trips are exact. One
// file of about 900 lines because its 44 tests share the example loaders and
// the model comparison (expect_equal_policies) at the top; a split would move
// those into a header for no gain in reading.
#include <canbao/calendar.hpp>
#include <canbao/error.hpp>
#include <canbao/policy.hpp>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using canbao::Date;
using canbao::PolicyError;
using canbao::Ratio;
using nlohmann::json;

namespace {

const char* const examples[] = {"001-chengjiang-2021.json", "002-huangshan-template.json",
                                "003-hengyang.json", "004-shiyan-2023.json"};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string example_path(const std::string& name) {
  return std::string(CANBAO_SOURCE_DIR) + "/examples/policies/" + name;
}

json example_json(const std::string& name) { return json::parse(read_text(example_path(name))); }

canbao::PolicyPtr example(const std::string& name) {
  return canbao::load_policy_file(example_path(name));
}

Date d(int y, int m, int day) { return *Date::from_ymd(y, m, day); }

// Loads `doc` after `edit` and returns the error (where, message); fails the
// test when the policy loads.
std::pair<std::string, std::string> load_error(json doc, const std::function<void(json&)>& edit) {
  edit(doc);
  try {
    canbao::load_policy(doc.dump());
  } catch (const PolicyError& e) {
    return {e.where(), e.message()};
  }
  ADD_FAILURE() << "policy loaded but an error was expected";
  return {};
}

void expect_policy_error(const json& doc, const std::function<void(json&)>& edit,
                         const std::string& where, const std::string& message_part) {
  const auto err = load_error(doc, edit);
  EXPECT_EQ(err.first, where) << err.second;
  EXPECT_NE(err.second.find(message_part), std::string::npos) << err.second;
}

const canbao::Unit& unit(const canbao::Policy& p, const std::string& id) {
  const int i = p.units.find(id);
  EXPECT_GE(i, 0) << id;
  return p.units.units.at(static_cast<std::size_t>(i));
}

std::int64_t target_count(const canbao::Policy& p, const std::string& unit_id,
                          const std::string& metric) {
  const auto* t = unit(p, unit_id).target(p.metric_index(metric));
  EXPECT_NE(t, nullptr) << unit_id << " " << metric;
  if (!t) return -1;
  EXPECT_EQ(t->value.den, 1);
  return t->value.num;
}

// ---- model equality, field by field (round trips) ----

void expect_equal(const canbao::DateSpec& a, const canbao::DateSpec& b, const std::string& at) {
  EXPECT_EQ(a.text, b.text) << at;
  EXPECT_EQ(a.date, b.date) << at;
}

void expect_equal(const canbao::Scope& a, const canbao::Scope& b, const std::string& at) {
  EXPECT_EQ(a.kind, b.kind) << at;
  EXPECT_EQ(a.unit_ids, b.unit_ids) << at;
  EXPECT_EQ(a.unit_indices(), b.unit_indices()) << at;
  EXPECT_EQ(a.level, b.level) << at;
}

void expect_equal(const canbao::Condition& a, const canbao::Condition& b, const std::string& at) {
  EXPECT_EQ(a.metric, b.metric) << at;
  EXPECT_EQ(a.metric_index(), b.metric_index()) << at;
  EXPECT_EQ(a.comparison, b.comparison) << at;
  EXPECT_EQ(a.use_target, b.use_target) << at;
  EXPECT_EQ(a.threshold, b.threshold) << at;
}

void expect_equal_policies(const canbao::Policy& a, const canbao::Policy& b) {
  EXPECT_EQ(a.schema, b.schema);
  const auto& ca = a.campaign;
  const auto& cb = b.campaign;
  EXPECT_EQ(ca.id, cb.id);
  EXPECT_EQ(ca.title, cb.title);
  EXPECT_EQ(ca.year, cb.year);
  EXPECT_EQ(ca.source, cb.source);
  ASSERT_EQ(ca.phases.size(), cb.phases.size());
  for (std::size_t i = 0; i < ca.phases.size(); ++i) {
    EXPECT_EQ(ca.phases[i].id, cb.phases[i].id);
    EXPECT_EQ(ca.phases[i].name, cb.phases[i].name);
    expect_equal(ca.phases[i].start, cb.phases[i].start, "phase start");
    expect_equal(ca.phases[i].end, cb.phases[i].end, "phase end");
    EXPECT_EQ(ca.phases[i].source, cb.phases[i].source);
    EXPECT_EQ(ca.phases[i].note, cb.phases[i].note);
  }
  ASSERT_EQ(ca.reporting.has_value(), cb.reporting.has_value());
  if (ca.reporting) {
    EXPECT_EQ(ca.reporting->first_month, cb.reporting->first_month);
    EXPECT_EQ(ca.reporting->last_month, cb.reporting->last_month);
    EXPECT_EQ(ca.reporting->due_day, cb.reporting->due_day);
    EXPECT_EQ(ca.reporting->source, cb.reporting->source);
  }
  ASSERT_EQ(a.metrics.size(), b.metrics.size());
  for (std::size_t i = 0; i < a.metrics.size(); ++i) {
    const auto& x = a.metrics[i];
    const auto& y = b.metrics[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.unit, y.unit);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.weight, y.weight);
    EXPECT_EQ(x.numerator, y.numerator);
    EXPECT_EQ(x.denominator, y.denominator);
    EXPECT_EQ(x.segment, y.segment);
    EXPECT_EQ(x.source, y.source);
    EXPECT_EQ(x.weight_index(), y.weight_index());
    EXPECT_EQ(x.numerator_index(), y.numerator_index());
    EXPECT_EQ(x.denominator_index(), y.denominator_index());
  }
  EXPECT_EQ(a.units.roots(), b.units.roots());
  EXPECT_EQ(a.units.order(), b.units.order());
  ASSERT_EQ(a.units.units.size(), b.units.units.size());
  for (std::size_t i = 0; i < a.units.units.size(); ++i) {
    const auto& x = a.units.units[i];
    const auto& y = b.units.units[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(a.units.find(x.id), b.units.find(y.id));
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.level, y.level);
    EXPECT_EQ(x.parent, y.parent);
    EXPECT_EQ(x.parent_index(), y.parent_index());
    EXPECT_EQ(x.children(), y.children());
    EXPECT_EQ(x.bases, y.bases);
    EXPECT_EQ(x.depth(), y.depth());
    EXPECT_EQ(x.source, y.source);
    ASSERT_EQ(x.targets.size(), y.targets.size()) << x.id;
    for (std::size_t k = 0; k < x.targets.size(); ++k) {
      EXPECT_EQ(x.targets[k].metric, y.targets[k].metric);
      EXPECT_EQ(x.targets[k].metric_index(), y.targets[k].metric_index());
      EXPECT_EQ(x.targets[k].value, y.targets[k].value);
      EXPECT_EQ(x.targets[k].origin, y.targets[k].origin);
    }
    ASSERT_EQ(x.allocations.size(), y.allocations.size());
    for (std::size_t k = 0; k < x.allocations.size(); ++k) {
      EXPECT_EQ(x.allocations[k].metric, y.allocations[k].metric);
      EXPECT_EQ(x.allocations[k].base, y.allocations[k].base);
      EXPECT_EQ(x.allocations[k].minimum, y.allocations[k].minimum);
    }
  }
  ASSERT_EQ(a.completion.has_value(), b.completion.has_value());
  if (a.completion) {
    ASSERT_EQ(a.completion->tasks.size(), b.completion->tasks.size());
    for (std::size_t i = 0; i < a.completion->tasks.size(); ++i) {
      expect_equal(a.completion->tasks[i], b.completion->tasks[i], "completion task");
    }
    EXPECT_EQ(a.completion->source, b.completion->source);
  }
  ASSERT_EQ(a.milestones.size(), b.milestones.size());
  for (std::size_t i = 0; i < a.milestones.size(); ++i) {
    const auto& x = a.milestones[i];
    const auto& y = b.milestones[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.name, y.name);
    expect_equal(x.condition, y.condition, x.id);
    expect_equal(x.due, y.due, x.id);
    expect_equal(x.scope, y.scope, x.id);
    EXPECT_EQ(x.source, y.source);
  }
  ASSERT_EQ(a.work_fund.has_value(), b.work_fund.has_value());
  if (a.work_fund) {
    const auto& x = *a.work_fund;
    const auto& y = *b.work_fund;
    ASSERT_EQ(x.tiers.size(), y.tiers.size());
    for (std::size_t i = 0; i < x.tiers.size(); ++i) {
      expect_equal(x.tiers[i].deadline, y.tiers[i].deadline, "tier");
      EXPECT_EQ(x.tiers[i].per_person, y.tiers[i].per_person);
    }
    expect_equal(x.paid_units, y.paid_units, "paid_units");
    EXPECT_EQ(x.basis_metric, y.basis_metric);
    EXPECT_EQ(x.basis_metric_index(), y.basis_metric_index());
    EXPECT_EQ(x.basis_as_of, y.basis_as_of);
    ASSERT_EQ(x.basis_date.has_value(), y.basis_date.has_value());
    if (x.basis_date) expect_equal(*x.basis_date, *y.basis_date, "basis");
    EXPECT_EQ(x.late.kind, y.late.kind);
    EXPECT_EQ(x.late.per_person, y.late.per_person);
    EXPECT_EQ(x.late.note, y.late.note);
    EXPECT_EQ(x.payer, y.payer);
    EXPECT_EQ(x.source, y.source);
  }
  ASSERT_EQ(a.scoring.has_value(), b.scoring.has_value());
  if (a.scoring) {
    const auto& x = *a.scoring;
    const auto& y = *b.scoring;
    expect_equal(x.ranked_units, y.ranked_units, "ranked_units");
    ASSERT_EQ(x.indicators.size(), y.indicators.size());
    for (std::size_t i = 0; i < x.indicators.size(); ++i) {
      EXPECT_EQ(x.indicators[i].id, y.indicators[i].id);
      EXPECT_EQ(x.indicators[i].name, y.indicators[i].name);
      EXPECT_EQ(x.indicators[i].metric, y.indicators[i].metric);
      EXPECT_EQ(x.indicators[i].metric_index(), y.indicators[i].metric_index());
      EXPECT_EQ(x.indicators[i].weight, y.indicators[i].weight);
      EXPECT_EQ(x.indicators[i].cap, y.indicators[i].cap);
    }
    ASSERT_EQ(x.timeliness.size(), y.timeliness.size());
    for (std::size_t i = 0; i < x.timeliness.size(); ++i) {
      expect_equal(x.timeliness[i].by, y.timeliness[i].by, "timeliness");
      EXPECT_EQ(x.timeliness[i].points, y.timeliness[i].points);
    }
    ASSERT_EQ(x.deductions.size(), y.deductions.size());
    for (std::size_t i = 0; i < x.deductions.size(); ++i) {
      EXPECT_EQ(x.deductions[i].id, y.deductions[i].id);
      EXPECT_EQ(x.deductions[i].metric, y.deductions[i].metric);
      EXPECT_EQ(x.deductions[i].metric_index(), y.deductions[i].metric_index());
      EXPECT_EQ(x.deductions[i].points_per_count, y.deductions[i].points_per_count);
      EXPECT_EQ(x.deductions[i].max_points, y.deductions[i].max_points);
      EXPECT_EQ(x.deductions[i].source, y.deductions[i].source);
    }
    ASSERT_EQ(x.grades.size(), y.grades.size());
    for (std::size_t i = 0; i < x.grades.size(); ++i) {
      EXPECT_EQ(x.grades[i].grade, y.grades[i].grade);
      EXPECT_EQ(x.grades[i].name, y.grades[i].name);
      EXPECT_EQ(x.grades[i].min_score, y.grades[i].min_score);
    }
    EXPECT_EQ(x.awards_require_targets_met, y.awards_require_targets_met);
    EXPECT_EQ(x.tie_breakers, y.tie_breakers);
    EXPECT_EQ(x.source, y.source);
  }
  EXPECT_EQ(a.recommendation.has_value(), b.recommendation.has_value());
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
}

}  // namespace

// ---------------------------------------------------------------- examples

TEST(PolicyJson, EveryExamplePolicyLoads) {
  for (const char* name : examples) {
    EXPECT_NO_THROW(example(name)) << name;
  }
}

TEST(PolicyJson, ChengjiangTownTargetsAddUpToTheCityTotals) {
  // 001 三: 6550 + 36000 + 22050 + 13550 + 7950 + 20700 = 106800 enrolled;
  // 250 + 250 + 100 + 50 + 50 + 100 = 800 conversions (the city's 800).
  const auto p = example("001-chengjiang-2021.json");
  std::int64_t enrolled = 0, converted = 0;
  int towns = 0;
  for (const auto& u : p->units.units) {
    if (u.level != "town") continue;
    ++towns;
    enrolled += target_count(*p, u.id, "resident_enrolled");
    converted += target_count(*p, u.id, "resident_to_employee");
  }
  EXPECT_EQ(towns, 6);
  EXPECT_EQ(enrolled, 106800);
  EXPECT_EQ(converted, 800);
  EXPECT_EQ(target_count(*p, "fenglu", "resident_enrolled"), 6550);
  EXPECT_EQ(target_count(*p, "lujv", "resident_to_employee"), 100);
  const int avg = p->metric_index("resident_contribution_avg");
  EXPECT_EQ(unit(*p, "fenglu").target(avg)->value, Ratio(350));
  EXPECT_EQ(unit(*p, "longjie").target(avg)->value, Ratio(330));
  EXPECT_EQ(p->metrics[static_cast<std::size_t>(avg)].kind, canbao::MetricKind::average);
  // 001: 人均缴费 is per person who paid (个人缴费人数), not per enrolled person.
  EXPECT_EQ(p->metrics[static_cast<std::size_t>(avg)].weight_index(),
            p->metric_index("resident_paid"));
}

TEST(PolicyJson, ChengjiangTownAllocatesConversionsToVillagesByUnenrolledFound) {
  // 九村镇's 50 conversions over villages with 37, 25, 18, 12 unenrolled found:
  // quotas 20.11, 13.59, 9.78, 6.52 -> 20, 14, 10, 6.
  const auto p = example("001-chengjiang-2021.json");
  const int m = p->metric_index("resident_to_employee");
  const char* villages[] = {"jiucun-v1", "jiucun-v2", "jiucun-v3", "jiucun-v4"};
  const std::int64_t expected[] = {20, 14, 10, 6};
  for (int i = 0; i < 4; ++i) {
    const auto* t = unit(*p, villages[i]).target(m);
    ASSERT_NE(t, nullptr) << villages[i];
    EXPECT_EQ(t->value, Ratio(expected[i])) << villages[i];
    EXPECT_EQ(t->origin, canbao::TargetOrigin::allocated);
  }
  EXPECT_EQ(unit(*p, "jiucun").target(m)->origin, canbao::TargetOrigin::given);
}

TEST(PolicyJson, UnitTreeIsIndexedAndOrderedParentsFirst) {
  const auto p = example("001-chengjiang-2021.json");
  const auto& tree = p->units;
  ASSERT_EQ(tree.roots(), std::vector<int>{0});
  EXPECT_EQ(tree.units[0].children().size(), 6u);
  EXPECT_EQ(unit(*p, "jiucun-v3").depth(), 2);
  EXPECT_EQ(unit(*p, "jiucun").depth(), 1);
  EXPECT_EQ(unit(*p, "chengjiang").depth(), 0);
  ASSERT_EQ(tree.order().size(), tree.units.size());
  std::vector<int> position(tree.units.size());
  for (std::size_t k = 0; k < tree.order().size(); ++k)
    position[static_cast<std::size_t>(tree.order()[k])] = static_cast<int>(k);
  for (std::size_t i = 0; i < tree.units.size(); ++i) {
    const int parent = tree.units[i].parent_index();
    if (parent >= 0) {
      EXPECT_LT(position[static_cast<std::size_t>(parent)], position[i]);
    }
    EXPECT_EQ(tree.find(tree.units[i].id), static_cast<int>(i));
  }
  EXPECT_EQ(tree.find("nowhere"), -1);
}

TEST(PolicyJson, ShiyanVillageBelowTheMinimumGetsTheMinimum) {
  // 004 example: 600 over 412, 286, 198, 143, 21 with at least 20 each.
  const auto p = example("004-shiyan-2023.json");
  EXPECT_EQ(target_count(*p, "village-d", "expansion_enrolled"), 20);
  EXPECT_EQ(target_count(*p, "shiyan-community", "expansion_enrolled"), 230);
  std::int64_t sum = 0;
  for (int c : unit(*p, "shiyan").children()) {
    sum += target_count(*p, p->units.units[static_cast<std::size_t>(c)].id, "expansion_enrolled");
  }
  EXPECT_EQ(sum, 600);
}

TEST(PolicyJson, ShiyanMobilisationPhaseHasAnOpenStartOnJanuaryFirstWithANote) {
  // 004 四(一) 动员部署阶段(3月15日前): no start is written; an open start is the
  // campaign's first day, January 1 of the plan year (docs/calendar.md).
  const auto p = example("004-shiyan-2023.json");
  const auto& phase = p->campaign.phases.at(0);
  EXPECT_EQ(phase.name, "动员部署");
  EXPECT_TRUE(phase.open_start);
  EXPECT_EQ(phase.start.text, "");
  EXPECT_EQ(phase.start.date, d(2023, 1, 1));
  EXPECT_EQ(phase.end.date, d(2023, 3, 15));
  EXPECT_NE(phase.note.find("3月15日前"), std::string::npos) << phase.note;
  EXPECT_EQ(p->campaign.phases.at(1).start.date, d(2023, 3, 16));
}

// ---------------------------------------------------------------- validation

TEST(PolicyJson, NonexistentLiteralDateNamesItsPath) {
  expect_policy_error(
      example_json("001-chengjiang-2021.json"),
      [](json& j) { j["campaign"]["phases"][3]["end"] = "2023-02-29"; }, "campaign.phases[3].end",
      "2023-02-29 is not a date (2023 is not a leap year)");
}

TEST(PolicyJson, NegativeCountTargetIsRejected) {
  expect_policy_error(
      example_json("001-chengjiang-2021.json"),
      [](json& j) { j["units"][3]["targets"]["resident_enrolled"] = -5; },
      "units[3].targets.resident_enrolled", "must be >= 0, got -5");
}

TEST(PolicyJson, FractionalCountTargetIsRejected) {
  expect_policy_error(
      example_json("001-chengjiang-2021.json"),
      [](json& j) { j["units"][3]["targets"]["resident_enrolled"] = "22050.5"; },
      "units[3].targets.resident_enrolled", "takes a whole number");
}

TEST(PolicyJson, UnknownKeyIsRejected) {
  expect_policy_error(
      example_json("001-chengjiang-2021.json"),
      [](json& j) { j["units"][2]["tagets"] = json::object(); }, "units[2].tagets", "unknown key");
  expect_policy_error(
      example_json("001-chengjiang-2021.json"), [](json& j) { j["extra"] = 1; }, "extra",
      "unknown key");
}

TEST(PolicyJson, WrongTypeIsRejected) {
  expect_policy_error(
      example_json("001-chengjiang-2021.json"), [](json& j) { j["campaign"]["year"] = "2021"; },
      "campaign.year", "expected an integer, got a string");
  expect_policy_error(
      example_json("001-chengjiang-2021.json"), [](json& j) { j["metrics"] = json::object(); },
      "metrics", "expected an array");
}

TEST(PolicyJson, UnitThatIsItsOwnAncestorIsRejectedWithThePath) {
  expect_policy_error(
      example_json("001-chengjiang-2021.json"),
      [](json& j) { j["units"][0]["parent"] = "jiucun-v1"; }, "units[0].parent",
      "unit \"chengjiang\" is its own ancestor (chengjiang -> jiucun-v1 -> jiucun -> chengjiang)");
  expect_policy_error(
      example_json("001-chengjiang-2021.json"), [](json& j) { j["units"][4]["parent"] = "haikou"; },
      "units[4].parent", "unit \"haikou\" is its own ancestor (haikou -> haikou)");
}

TEST(PolicyJson, DanglingReferencesAreRejected) {
  const json doc = example_json("001-chengjiang-2021.json");
  expect_policy_error(
      doc, [](json& j) { j["units"][1]["parent"] = "kunming"; }, "units[1].parent",
      "no unit \"kunming\"");
  // The average metric (人均缴费), wherever the example lists it.
  std::size_t avg = 0;
  while (doc["metrics"][avg]["id"] != "resident_contribution_avg") ++avg;
  const std::string weight = "metrics[" + std::to_string(avg) + "].weight";
  expect_policy_error(
      doc, [&](json& j) { j["metrics"][avg]["weight"] = "nothing"; }, weight,
      "no metric \"nothing\"");
  expect_policy_error(
      doc, [&](json& j) { j["metrics"][avg]["weight"] = "resident_contribution_avg"; }, weight,
      "expected a count metric");
  expect_policy_error(
      doc, [](json& j) { j["units"][1]["targets"]["enrolled"] = 5; }, "units[1].targets.enrolled",
      "no metric \"enrolled\"");
  expect_policy_error(
      doc, [](json& j) { j["milestones"][0]["metric"] = "x"; }, "milestones[0].metric",
      "no metric \"x\"");
  expect_policy_error(
      doc, [](json& j) { j["milestones"][3]["scope"]["units"][0] = "kunming"; },
      "milestones[3].scope.units[0]", "no unit \"kunming\"");
  expect_policy_error(
      doc,
      [](json& j) {
        j["milestones"][0]["scope"] = {{"level", "county"}};
      },
      "milestones[0].scope.level", "no unit has level \"county\"");
}

TEST(PolicyJson, RateNumeratorAndDenominatorMustBeCountMetrics) {
  json doc = example_json("001-chengjiang-2021.json");
  doc["metrics"].push_back({{"id", "rate"},
                            {"name", "参保率"},
                            {"kind", "rate"},
                            {"numerator", "resident_enrolled"},
                            {"denominator", "resident_contribution_avg"}});
  const std::size_t last = doc["metrics"].size() - 1;
  const std::string at = "metrics[" + std::to_string(last) + "]";
  expect_policy_error(
      doc, [](json&) {}, at + ".denominator", "expected a count metric");
  expect_policy_error(
      doc, [&](json& j) { j["metrics"][last].erase("numerator"); }, at + ".numerator",
      "required key is missing");
  expect_policy_error(
      doc, [&](json& j) { j["metrics"][last]["weight"] = "resident_enrolled"; }, at + ".weight",
      "unknown key");
}

TEST(PolicyJson, DuplicateIdsAreRejected) {
  const json doc = example_json("001-chengjiang-2021.json");
  expect_policy_error(
      doc, [](json& j) { j["units"][2]["id"] = "fenglu"; }, "units[2].id",
      "duplicate unit id \"fenglu\" (also units[1].id)");
  expect_policy_error(
      doc, [](json& j) { j["metrics"][1]["id"] = "resident_enrolled"; }, "metrics[1].id",
      "duplicate metric id");
  expect_policy_error(
      doc, [](json& j) { j["campaign"]["phases"][1]["id"] = "publicity"; }, "campaign.phases[1].id",
      "duplicate phase id");
}

TEST(PolicyJson, PhaseEndingBeforeItStartsIsRejected) {
  expect_policy_error(
      example_json("001-chengjiang-2021.json"),
      [](json& j) { j["campaign"]["phases"][2]["end"] = "2021-05-31"; }, "campaign.phases[2].end",
      "2021-05-31 is before the start 2021-06-01");
}

TEST(PolicyJson, ReportingDueDayMustExistInEveryMonth) {
  expect_policy_error(
      example_json("001-chengjiang-2021.json"),
      [](json& j) { j["campaign"]["reporting"]["due_day"] = 31; }, "campaign.reporting.due_day",
      "day 31 does not exist in 2021-06");
  expect_policy_error(
      example_json("001-chengjiang-2021.json"),
      [](json& j) { j["campaign"]["reporting"]["to_month"] = 4; }, "campaign.reporting.to_month",
      "must be >= 5, got 4");
}

TEST(PolicyJson, AllocationErrorsNameTheRule) {
  const json doc = example_json("001-chengjiang-2021.json");
  expect_policy_error(
      doc,
      [](json& j) {
        j["units"][7]["bases"] = {{"found", 3}};
      },
      "units[7].bases", "missing \"unenrolled_found\", needed by units[5].allocate[0]");
  expect_policy_error(
      doc,
      [](json& j) {
        j["units"][8]["targets"] = {{"resident_to_employee", 3}};
      },
      "units[8].targets.resident_to_employee", "its parent \"jiucun\" allocates");
  expect_policy_error(
      doc,
      [](json& j) {
        for (int i = 7; i <= 10; ++i) j["units"][i]["bases"]["unenrolled_found"] = 0;
      },
      "units[5].allocate[0]", "sum to 0");
  expect_policy_error(
      doc, [](json& j) { j["units"][5]["allocate"][0]["minimum"] = 13; }, "units[5].allocate[0]",
      "minimums sum to 52, more than the total 50");
  expect_policy_error(
      doc, [](json& j) { j["units"][5]["allocate"][0]["metric"] = "resident_contribution_avg"; },
      "units[5].allocate[0].metric", "only count targets are allocated");
  expect_policy_error(
      doc, [](json& j) { j["units"][5]["allocate"][0]["metric"] = "employee_enrolled"; },
      "units[5].allocate[0].metric", "has no target for \"employee_enrolled\"");
  expect_policy_error(
      doc, [](json& j) { j["units"][7]["allocate"] = j["units"][5]["allocate"]; },
      "units[7].allocate[0]", "has no children");
}

TEST(PolicyJson, AllocationWithZeroTargetAndZeroBasesGivesZeros) {
  json doc = example_json("001-chengjiang-2021.json");
  doc["units"][5]["targets"]["resident_to_employee"] = 0;
  doc["units"][5]["allocate"][0]["minimum"] = 0;
  for (int i = 7; i <= 10; ++i) doc["units"][i]["bases"]["unenrolled_found"] = 0;
  const auto p = canbao::load_policy(doc.dump());
  EXPECT_EQ(target_count(*p, "jiucun-v1", "resident_to_employee"), 0);
  EXPECT_EQ(target_count(*p, "jiucun-v4", "resident_to_employee"), 0);
}

TEST(PolicyJson, AllocatedTargetsCanBeAllocatedFurtherDown) {
  // City allocates 800 conversions over towns by a base; a town re-allocates its share.
  json doc = example_json("001-chengjiang-2021.json");
  const std::int64_t bases[] = {6550, 36000, 22050, 13550, 7950, 20700};
  doc["units"][0]["targets"]["resident_to_employee"] = 800;
  doc["units"][0]["allocate"] =
      json::array({{{"metric", "resident_to_employee"}, {"base", "enrolled_target"}}});
  for (int i = 1; i <= 6; ++i) {
    doc["units"][i]["targets"].erase("resident_to_employee");
    doc["units"][i]["bases"] = {{"enrolled_target", bases[i - 1]}};
  }
  const auto p = canbao::load_policy(doc.dump());
  EXPECT_EQ(target_count(*p, "jiucun", "resident_to_employee"), 60);  // 59.55 + leftover
  std::int64_t villages = 0;
  for (const char* v : {"jiucun-v1", "jiucun-v2", "jiucun-v3", "jiucun-v4"})
    villages += target_count(*p, v, "resident_to_employee");
  EXPECT_EQ(villages, 60);
}

TEST(PolicyJson, UseTargetOnAUnitWithoutATargetIsRejected) {
  expect_policy_error(
      example_json("001-chengjiang-2021.json"),
      [](json& j) { j["milestones"][0]["scope"] = "all"; }, "milestones[0].value",
      "unit \"jiucun-v1\" (units[7]) has no target for \"resident_enrolled\"");
  // Counts roll up: the city has an enrollment target because every town has one.
  json doc = example_json("001-chengjiang-2021.json");
  doc["milestones"][0]["scope"] = {{"units", {"chengjiang"}}};
  EXPECT_NO_THROW(canbao::load_policy(doc.dump()));
  // Averages do not add up: a unit needs its own target.
  doc["milestones"][2]["scope"] = {{"units", {"jiucun-v2"}}};
  expect_policy_error(
      doc, [](json&) {}, "milestones[2].value",
      "unit \"jiucun-v2\" (units[8]) has no target for \"resident_contribution_avg\"");
}

TEST(PolicyJson, ThresholdsAreExactAndRangeChecked) {
  const json doc = example_json("001-chengjiang-2021.json");
  expect_policy_error(
      doc, [](json& j) { j["milestones"][2]["value"] = 330.5; }, "milestones[2].value",
      "write fractions as a string");
  expect_policy_error(
      doc, [](json& j) { j["milestones"][2]["value"] = "-1"; }, "milestones[2].value",
      "must be >= 0");
  expect_policy_error(
      doc, [](json& j) { j["milestones"][2]["op"] = "=>"; }, "milestones[2].op", "expected \">=\"");
  const auto p = canbao::load_policy([&] {
    json j = doc;
    j["milestones"][2]["value"] = "330.5";
    return j.dump();
  }());
  EXPECT_EQ(p->milestones[2].condition.threshold, Ratio(661, 2));
}

TEST(PolicyJson, SchemaMustBeTheKnownVersion) {
  expect_policy_error(
      example_json("001-chengjiang-2021.json"), [](json& j) { j["schema"] = "canbao.policy/2"; },
      "schema", "expected \"canbao.policy/1\"");
  expect_policy_error(
      example_json("001-chengjiang-2021.json"), [](json& j) { j.erase("units"); }, "units",
      "required key is missing");
}

TEST(PolicyJson, SyntaxErrorNamesTheSource) {
  try {
    canbao::load_policy("{\"schema\": ", "broken.json");
    FAIL();
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where(), "broken.json");
    EXPECT_NE(e.message().find("not valid JSON"), std::string::npos);
  }
}

// ---------------------------------------------------------------- writing

TEST(PolicyJson, ToJsonRoundTripsEveryExampleToAnEqualModelAndIdenticalText) {
  for (const char* name : examples) {
    SCOPED_TRACE(name);
    const auto first = example(name);
    const std::string dump = canbao::to_json(*first);
    const auto second = canbao::load_policy(dump, "dump");
    expect_equal_policies(*first, *second);
    EXPECT_EQ(canbao::to_json(*second), dump);
  }
}

TEST(PolicyJson, ToJsonWritesTheAllocationRuleNotTheAllocatedTargets) {
  const auto p = example("001-chengjiang-2021.json");
  const json out = json::parse(canbao::to_json(*p));
  const json& village = out["units"][7];
  EXPECT_EQ(village["id"], "jiucun-v1");
  EXPECT_FALSE(village.contains("targets"));
  EXPECT_EQ(out["units"][5]["allocate"][0]["base"], "unenrolled_found");
  EXPECT_EQ(out["units"][5]["targets"]["resident_to_employee"], 50);
}

TEST(PolicyJson, ToJsonKeepsDateTemplatesAsWrittenAndFractionsExact) {
  const auto p = example("004-shiyan-2023.json");
  const json out = json::parse(canbao::to_json(*p));
  EXPECT_EQ(out["campaign"]["phases"][0]["end"], "{year}-03-15");
  EXPECT_FALSE(out["campaign"]["phases"][0].contains("start"));  // an open start stays open
  EXPECT_EQ(out["campaign"]["phases"][1]["start"], "{year}-03-16");
  EXPECT_EQ(out["scoring"]["indicators"][0]["cap"], "1.2");  // written as "120%"
}

TEST(PolicyJson, FingerprintIsSha256OfTheCompactCanonicalJson) {
  const auto p = example("001-chengjiang-2021.json");
  ASSERT_EQ(p->fingerprint().size(), 64u);
  EXPECT_EQ(p->fingerprint().find_first_not_of("0123456789abcdef"), std::string::npos);
  const std::string compact = canbao::to_json(*p, -1);
  EXPECT_EQ(compact.find('\n'), std::string::npos);
  // Formatting of the source does not matter; content does.
  const auto reformatted = canbao::load_policy(example_json("001-chengjiang-2021.json").dump(4));
  EXPECT_EQ(reformatted->fingerprint(), p->fingerprint());
  json changed = example_json("001-chengjiang-2021.json");
  changed["units"][1]["targets"]["resident_enrolled"] = 6551;
  EXPECT_NE(canbao::load_policy(changed.dump())->fingerprint(), p->fingerprint());
}

TEST(PolicyJson, InstantiateForYearReresolvesTemplateDates) {
  const auto p = example("004-shiyan-2023.json");
  const auto next = canbao::instantiate_for_year(*p, 2024);
  EXPECT_EQ(next->campaign.year, 2024);
  EXPECT_EQ(next->campaign.phases[0].start.date, d(2024, 1, 1));
  EXPECT_EQ(next->campaign.phases[2].end.date, d(2024, 12, 31));
  EXPECT_TRUE(next->campaign.phases[0].open_start);  // January 1 of the new year
  EXPECT_EQ(next->campaign.phases[0].end.text, "{year}-03-15");
  EXPECT_EQ(next->campaign.phases[0].end.date, d(2024, 3, 15));
  EXPECT_NE(next->fingerprint(), p->fingerprint());
  EXPECT_EQ(canbao::instantiate_for_year(*next, 2023)->fingerprint(), p->fingerprint());
}

TEST(PolicyJson, InstantiateForYearKeepsLiteralDates) {
  const auto p = example("001-chengjiang-2021.json");
  const auto next = canbao::instantiate_for_year(*p, 2022);
  EXPECT_EQ(next->campaign.phases[0].start.date, d(2021, 3, 18));
  EXPECT_EQ(next->campaign.year, 2022);
}

TEST(PolicyJson, InstantiateForAnOutOfRangeYearIsRejected) {
  const auto p = example("004-shiyan-2023.json");
  try {
    canbao::instantiate_for_year(*p, 3000);
    FAIL();
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where(), "campaign.year");
  }
}

// ---------------------------------------------------------------- work fund and scoring

namespace {

// 001 with 000's deadline-tiered work fund paid to the towns.
json with_work_fund() {
  json doc = example_json("001-chengjiang-2021.json");
  doc["completion"] = {
      {"tasks",
       json::array({{{"metric", "resident_enrolled"}, {"op", ">="}, {"value", "target"}}})}};
  doc["work_fund"] = {
      {"tiers", json::array({{{"deadline", "2021-09-30"}, {"per_person_fen", 100}},
                             {{"deadline", "2021-10-15"}, {"per_person_fen", 80}},
                             {{"deadline", "2021-11-30"}, {"per_person_fen", 60}}})},
      {"paid_units", {{"level", "town"}}},
      {"basis", {{"metric", "resident_enrolled"}, {"as_of", "completion_date"}}},
      {"late", {{"rule", "zero"}, {"note", "000's sentence is cut off"}}},
      {"payer", "县财政"}};
  return doc;
}

}  // namespace

TEST(PolicyJson, WorkFundTiersLoadInFen) {
  const auto p = canbao::load_policy(with_work_fund().dump());
  ASSERT_TRUE(p->work_fund);
  ASSERT_EQ(p->work_fund->tiers.size(), 3u);
  EXPECT_EQ(p->work_fund->tiers[1].deadline.date, d(2021, 10, 15));
  EXPECT_EQ(p->work_fund->tiers[1].per_person, canbao::Fen(80));
  EXPECT_EQ(p->work_fund->paid_units.unit_indices().size(), 6u);
  EXPECT_EQ(p->work_fund->late.kind, canbao::LateRule::Kind::zero);
}

TEST(PolicyJson, WorkFundTierDeadlinesMustIncrease) {
  expect_policy_error(
      with_work_fund(), [](json& j) { j["work_fund"]["tiers"][1]["deadline"] = "2021-09-30"; },
      "work_fund.tiers[1].deadline", "must be after tiers[0].deadline 2021-09-30");
  expect_policy_error(
      with_work_fund(), [](json& j) { j["work_fund"]["tiers"][2]["deadline"] = "2021-10-01"; },
      "work_fund.tiers[2].deadline", "must be after tiers[1].deadline 2021-10-15");
}

TEST(PolicyJson, WorkFundLateRuleMustBeExplicit) {
  expect_policy_error(
      with_work_fund(), [](json& j) { j["work_fund"].erase("late"); }, "work_fund.late",
      "required key is missing");
  expect_policy_error(
      with_work_fund(),
      [](json& j) {
        j["work_fund"]["late"] = {{"rule", "per_person"}};
      },
      "work_fund.late.per_person_fen", "required key is missing");
  expect_policy_error(
      with_work_fund(),
      [](json& j) {
        j["work_fund"]["late"] = {{"rule", "zero"}, {"per_person_fen", 40}};
      },
      "work_fund.late.per_person_fen", "unknown key");
  expect_policy_error(
      with_work_fund(),
      [](json& j) {
        j["work_fund"]["late"] = {{"rule", "guess"}};
      },
      "work_fund.late.rule", "expected \"zero\" or \"per_person\"");
}

TEST(PolicyJson, WorkFundNeedsCompletionAndACountBasis) {
  expect_policy_error(
      with_work_fund(), [](json& j) { j.erase("completion"); }, "work_fund",
      "needs a \"completion\" section");
  expect_policy_error(
      with_work_fund(),
      [](json& j) { j["work_fund"]["basis"]["metric"] = "resident_contribution_avg"; },
      "work_fund.basis.metric", "expected a count metric");
  expect_policy_error(
      with_work_fund(), [](json& j) { j["work_fund"]["tiers"][0]["per_person_fen"] = -100; },
      "work_fund.tiers[0].per_person_fen", "must be >= 0, got -100");
  expect_policy_error(
      with_work_fund(), [](json& j) { j["work_fund"]["basis"]["as_of"] = "2021-13-01"; },
      "work_fund.basis.as_of", "");
}

TEST(PolicyJson, CompletionTargetsMustExistForPaidUnits) {
  expect_policy_error(
      with_work_fund(),
      [](json& j) {
        j["work_fund"]["paid_units"] = {{"level", "village"}};
      },
      "completion.tasks[0].value",
      "unit \"jiucun-v1\" (units[7]) has no target for \"resident_enrolled\", but completion is "
      "evaluated for it");
}

TEST(PolicyJson, GradeBandsMustDecrease) {
  expect_policy_error(
      example_json("004-shiyan-2023.json"),
      [](json& j) { j["scoring"]["grades"][1]["min_score"] = 100; }, "scoring.grades[1].min_score",
      "must be below grades[0].min_score 100");
  expect_policy_error(
      example_json("004-shiyan-2023.json"),
      [](json& j) { j["scoring"]["grades"][0]["grade"] = "excellent"; }, "scoring.grades[0].grade",
      "expected \"commend\", \"pass\" or \"criticise\"");
}

TEST(PolicyJson, ScoringRulesAreValidated) {
  const json doc = example_json("004-shiyan-2023.json");
  expect_policy_error(
      doc, [](json& j) { j["scoring"]["tie_breakers"][0] = "coin_toss"; },
      "scoring.tie_breakers[0]", "expected \"earlier_completion\"");
  expect_policy_error(
      doc, [](json& j) { j["scoring"]["tie_breakers"][1] = "earlier_completion"; },
      "scoring.tie_breakers[1]", "listed twice");
  expect_policy_error(
      doc, [](json& j) { j["scoring"]["indicators"][0]["weight"] = 0; },
      "scoring.indicators[0].weight", "must be > 0");
  expect_policy_error(
      doc, [](json& j) { j["scoring"]["indicators"][0]["metric"] = "falsified_cases"; },
      "scoring.indicators[0].metric",
      "unit \"shiyan-community\" (units[1]) has no target for \"falsified_cases\"");
  expect_policy_error(
      doc, [](json& j) { j["scoring"].erase("ranked_units"); }, "scoring.ranked_units",
      "required key is missing");
  expect_policy_error(
      doc,
      [](json& j) {
        j.erase("completion");
        j.erase("milestones");
      },
      "scoring", "need a \"completion\" section");
}

namespace {

// A chain root <- u1 <- u2 <- ... of `n` units, each the only child of the
// one before; the last has a target, so every unit above gets it implied.
json chain_policy(std::size_t n) {
  json j = json::parse(R"({"schema": "canbao.policy/1",
    "campaign": {"id": "chain", "title": "t", "year": 2021,
                 "phases": [{"id": "all", "name": "全年", "start": "2021-01-01", "end": "2021-12-31"}]},
    "metrics": [{"id": "enrolled", "name": "参保人数", "kind": "count"}], "units": []})");
  for (std::size_t i = 0; i < n; ++i) {
    json u{{"id", "u" + std::to_string(i)}, {"name", "单位"}, {"level", "unit"}};
    if (i > 0) u["parent"] = "u" + std::to_string(i - 1);
    j["units"].push_back(std::move(u));
  }
  j["units"][n - 1]["targets"] = {{"enrolled", 7}};
  return j;
}

}  // namespace

TEST(PolicyJson, ParentCountTargetIsTheSumOfItsChildrenTargets) {
  // 001 三: the city's 106,800 resident enrollments are its six towns' targets
  // (6,550 + 36,000 + 22,050 + 13,550 + 7,950 + 20,700); the city gives none.
  const auto p = example("001-chengjiang-2021.json");
  const int metric = p->metric_index("resident_enrolled");
  const canbao::Unit& city = p->units.units[static_cast<std::size_t>(p->units.find("chengjiang"))];
  std::int64_t sum = 0;
  for (int c : city.children()) {
    const canbao::Target* t = p->units.units[static_cast<std::size_t>(c)].target(metric);
    ASSERT_NE(t, nullptr);
    sum += t->value.num;
  }
  EXPECT_EQ(sum, 106800);
  const canbao::Target* t = city.target(metric);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->value, Ratio(106800));
  EXPECT_EQ(t->origin, canbao::TargetOrigin::implied);
  // Implied targets are re-derived on load, never written back.
  const json written = json::parse(canbao::to_json(*p));
  for (const json& u : written["units"]) {
    if (u["id"] == "chengjiang") {
      EXPECT_FALSE(u.contains("targets") && u["targets"].contains("resident_enrolled"));
    }
  }
}

TEST(PolicyJson, ImpliedTargetsAddUpThroughEveryLevelAndOnlyWhenEveryChildHasOne) {
  const auto p = canbao::load_policy(chain_policy(4).dump());
  for (int u = 0; u < 4; ++u) {
    const canbao::Target* t = p->units.units[static_cast<std::size_t>(u)].target(0);
    ASSERT_NE(t, nullptr) << u;
    EXPECT_EQ(t->value, Ratio(7));
  }
  json j = chain_policy(3);
  j["units"].push_back(
      {{"id", "sibling"}, {"name", "无目标"}, {"level", "unit"}, {"parent", "u1"}});
  const auto q = canbao::load_policy(j.dump());
  // u1 has children u2 (target 7) and sibling (none): no implied target for
  // u1, and so none for u0 either.
  EXPECT_EQ(q->units.units[0].target(0), nullptr);
  EXPECT_EQ(q->units.units[1].target(0), nullptr);
  EXPECT_NE(q->units.units[2].target(0), nullptr);
}

TEST(PolicyJson, ImpliedTargetThatOverflowsNamesTheUnitAndMetric) {
  json j = chain_policy(2);
  j["units"].push_back({{"id", "big"},
                        {"name", "大"},
                        {"level", "unit"},
                        {"parent", "u0"},
                        {"targets", {{"enrolled", INT64_MAX}}}});
  expect_policy_error(
      j, [](json&) {}, "units[0].targets",
      "unit \"u0\": the sum of its children's targets for \"enrolled\" overflows "
      "int64");
}

TEST(PolicyJson, LongUnitChainsValidateInLinearTimeWithoutRecursion) {
  // 200,000 levels: quadratic validation took minutes at 100,000, and a
  // recursive walk would overflow the stack.
  const std::size_t n = 200000;
  const auto p = canbao::load_policy(chain_policy(n).dump());
  ASSERT_EQ(p->units.units.size(), n);
  EXPECT_EQ(p->units.units[n - 1].depth(), static_cast<int>(n - 1));
  EXPECT_EQ(p->units.units[0].target(0)->value, Ratio(7));
}

TEST(PolicyJson, ACycleAtTheEndOfALongChainIsNamedShortly) {
  json j = chain_policy(50000);
  j["units"][0]["parent"] = "u49999";
  try {
    canbao::load_policy(j.dump());
    FAIL() << "cycle accepted";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where(), "units[0].parent");
    EXPECT_NE(std::string(e.what()).find("unit \"u0\" is its own ancestor (u0 -> u49999 -> "),
              std::string::npos)
        << e.what();
    EXPECT_LT(std::string(e.what()).size(), 300u);
  }
}

TEST(PolicyJson, APolicyPathWithANulIsRefusedNotCutShort) {
  // "x.json\0.txt" would open "x.json" if passed on to the file system.
  const std::string path = example_path("001-chengjiang-2021.json") + std::string(1, '\0') + "x";
  try {
    canbao::load_policy_file(path);
    FAIL() << "opened the part before the NUL";
  } catch (const canbao::ArgumentError& e) {
    EXPECT_EQ(e.where(), "path");
    EXPECT_EQ(e.message(), "the path contains a NUL byte");
  }
}
