// Money beyond the work fund (docs/costs.md): incentives (tiered, capped, per
// unit), contribution-grade subsidies, 代缴 and 补缴 per person, totals per
// unit and for the campaign, strict validation by JSON path, and old policies
// keeping their fingerprints. Every figure is worked by hand in the comments.
#include <canbao/campaign_cost.hpp>
#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

using namespace canbao;
using nlohmann::json;

namespace {

const std::string source_dir = CANBAO_SOURCE_DIR;

json read_json(const std::string& path) {
  std::ifstream in(source_dir + "/" + path, std::ios::binary);
  return json::parse(in);
}

Date d(const char* iso) { return *parse_iso_date(iso); }

// tests/data/progress/tiers-policy.json: villages v1..v4 each reach 1,234
// enrolled and 1,100 paid (targets 1,200 and 1,000) on 09-30, 10-01, 11-30
// and 12-01; the work fund pays 100/80/60 fen per person by 09-30/10-15/11-30.
json tiers_doc() { return read_json("tests/data/progress/tiers-policy.json"); }

PolicyPtr load(const json& doc) { return load_policy(doc.dump(), "test"); }

Progress tiers_progress(const PolicyPtr& p) {
  return read_progress_csv_file(p, source_dir + "/tests/data/progress/tiers-progress.csv");
}

std::string load_error(const json& doc) {
  try {
    load(doc);
  } catch (const PolicyError& e) {
    return e.what();
  }
  return "(loaded)";
}

// A tiered incentive without `when`: paid by the completion date, like the work fund.
json tiered_incentive() {
  return json::parse(R"({"id": "early", "name": "早完成奖", "basis_metric": "resident_enrolled",
    "units": {"level": "village"},
    "tiers": [{"deadline": "2021-09-30", "per_person_fen": 50},
              {"deadline": "2021-10-15", "per_person_fen": 30}],
    "payer": "县财政", "illustrative": true})");
}

// A flat per-person incentive with a condition and a cap.
json capped_incentive() {
  return json::parse(
      R"({"id": "paid_reward", "name": "缴费奖励", "basis_metric": "resident_enrolled",
    "units": {"level": "village"}, "when": {"metric": "resident_paid", "op": ">=", "value": 1000},
    "per_person_fen": 100, "cap_fen": 100000, "payer": "镇财政"})");
}

// 004's illustrative costs section (examples/policies/004-shiyan-2023.json).
Costs costs_004() {
  return load_policy_file(source_dir + "/examples/policies/004-shiyan-2023.json")->costs.value();
}

}  // namespace

// ---- incentives --------------------------------------------------------------

TEST(MoneyRules, TieredIncentivePaysByCompletionDateTier) {
  json doc = tiers_doc();
  doc["incentives"] = json::array({tiered_incentive()});
  const PolicyPtr p = load(doc);
  const Progress g = tiers_progress(p);
  const auto r = evaluate_incentives(g, d("2021-12-31"));
  ASSERT_EQ(r.size(), 1u);
  const auto& pay = r[0].payouts;
  ASSERT_EQ(pay.size(), 4u);
  // v1 completes 09-30: tier 1, 1,234 x 50 fen = 61,700 fen.
  EXPECT_EQ(pay[0].status, IncentiveStatus::qualified);
  EXPECT_EQ(pay[0].qualified_on, d("2021-09-30"));
  EXPECT_EQ(pay[0].tier, 0);
  EXPECT_EQ(pay[0].basis, 1234);
  EXPECT_EQ(pay[0].amount, Fen(61'700));
  // v2 completes 10-01: tier 2, 1,234 x 30 fen = 37,020 fen.
  EXPECT_EQ(pay[1].tier, 1);
  EXPECT_EQ(pay[1].amount, Fen(37'020));
  // v3 (11-30) and v4 (12-01) complete after the last deadline 10-15: late, nothing.
  EXPECT_EQ(pay[2].status, IncentiveStatus::late);
  EXPECT_EQ(pay[2].amount, Fen(0));
  EXPECT_EQ(pay[3].status, IncentiveStatus::late);
  // 61,700 + 37,020 = 98,720 fen.
  EXPECT_EQ(r[0].total, Fen(98'720));
  EXPECT_TRUE(r[0].illustrative);
  EXPECT_EQ(r[0].payer, "县财政");
}

TEST(MoneyRules, TieredIncentiveIsNotQualifiedWhileADeadlineIsOpen) {
  json doc = tiers_doc();
  doc["incentives"] = json::array({tiered_incentive()});
  const PolicyPtr p = load(doc);
  const Progress g = tiers_progress(p);
  // As of 09-30 only v1 is complete; v2..v4 may still make the 10-15 tier.
  const auto r = evaluate_incentives(g, d("2021-09-30"));
  EXPECT_EQ(r[0].payouts[0].amount, Fen(61'700));
  EXPECT_EQ(r[0].payouts[1].status, IncentiveStatus::not_qualified);
  EXPECT_FALSE(r[0].payouts[1].qualified_on.has_value());
  EXPECT_EQ(r[0].total, Fen(61'700));
}

TEST(MoneyRules, CappedIncentivePaysTheCapAndSaysSo) {
  json doc = tiers_doc();
  doc["incentives"] = json::array({capped_incentive()});
  const PolicyPtr p = load(doc);
  const Progress g = tiers_progress(p);
  // As of 10-31: v1 (09-30) and v2 (10-01) have paid >= 1,000; each earns
  // 1,234 x 100 = 123,400 fen, capped at 100,000. v3, v4 not qualified.
  const auto r = evaluate_incentives(g, d("2021-10-31"));
  const auto& pay = r[0].payouts;
  EXPECT_EQ(pay[0].status, IncentiveStatus::qualified);
  EXPECT_EQ(pay[0].qualified_on, d("2021-09-30"));
  EXPECT_EQ(pay[0].uncapped, Fen(123'400));
  EXPECT_EQ(pay[0].amount, Fen(100'000));
  EXPECT_TRUE(pay[0].capped);
  EXPECT_EQ(pay[0].basis_on, d("2021-10-31"));  // flat schemes count on as_of
  EXPECT_EQ(pay[2].status, IncentiveStatus::not_qualified);
  EXPECT_EQ(pay[2].amount, Fen(0));
  EXPECT_FALSE(pay[2].capped);
  EXPECT_EQ(r[0].total, Fen(200'000));
}

TEST(MoneyRules, PerUnitIncentiveWithTargetCondition) {
  json doc = tiers_doc();
  doc["incentives"] =
      json::parse(R"([{"id": "bonus", "name": "达标奖", "units": {"units": ["v1", "v3"]},
    "when": {"metric": "resident_enrolled", "op": ">=", "value": "target"}, "per_unit_fen": 50000}])");
  const PolicyPtr p = load(doc);
  const Progress g = tiers_progress(p);
  // As of 11-30 both v1 (09-30) and v3 (11-30) have 1,234 >= 1,200: 2 x 50,000.
  const auto r = evaluate_incentives(g, d("2021-11-30"));
  ASSERT_EQ(r[0].payouts.size(), 2u);
  EXPECT_EQ(r[0].payouts[1].unit_id, "v3");
  EXPECT_EQ(r[0].payouts[1].qualified_on, d("2021-11-30"));
  EXPECT_EQ(r[0].payouts[1].rate.kind, IncentiveAmount::Kind::per_unit);
  EXPECT_EQ(r[0].total, Fen(100'000));
}

TEST(MoneyRules, AnOverflowingIncentiveNamesTheUnit) {
  // v1's 1,234 persons x 10^16 fen overflows int64 fen (about 9.2 x 10^18).
  json doc = tiers_doc();
  json in = capped_incentive();
  in.erase("cap_fen");
  in["per_person_fen"] = 10'000'000'000'000'000;
  doc["incentives"] = json::array({in});
  const PolicyPtr p = load(doc);
  const Progress g = tiers_progress(p);
  try {
    evaluate_incentives(g, d("2021-12-31"));
    ADD_FAILURE() << "no overflow";
  } catch (const OverflowError& e) {
    EXPECT_EQ(e.where(), "incentives[0]");
    EXPECT_NE(std::string(e.what()).find("unit \"v1\""), std::string::npos) << e.what();
  }
}

// ---- per-person costs ----------------------------------------------------------

TEST(MoneyRules, ResidentGetsTheSubsidyOfTheHighestTableGradeAtOrBelowTheirs) {
  const Costs c = costs_004();
  Person p;
  p.resident_grade_yuan = 300;  // 300 yuan: the 300 grade, 50 yuan = 5,000 fen a year
  PersonCost pc = person_cost(c, p, Scheme::resident, action_bit(Action::enroll_resident));
  EXPECT_EQ(pc.basis, SubsidyBasis::own_grade);
  EXPECT_EQ(pc.grade_yuan, 300);
  EXPECT_EQ(pc.subsidy, Fen(5'000));
  EXPECT_EQ(pc.cost(), Fen(5'000));
  p.resident_grade_yuan = 1200;  // between 1,000 and 1,500: the 1,000 grade, 8,500 fen
  pc = person_cost(c, p, Scheme::resident, 0);
  EXPECT_EQ(pc.grade_yuan, 1000);
  EXPECT_EQ(pc.subsidy, Fen(8'500));
  p.resident_grade_yuan = 0;  // no grade and no 代缴: counted, no subsidy
  pc = person_cost(c, p, Scheme::resident, 0);
  EXPECT_EQ(pc.basis, SubsidyBasis::grade_unknown);
  EXPECT_EQ(pc.subsidy, Fen(0));
  p.resident_grade_yuan = 500;  // recommended into the employee scheme: no resident subsidy
  pc = person_cost(c, p, Scheme::employee, action_bit(Action::convert_to_employee));
  EXPECT_EQ(pc.basis, SubsidyBasis::not_resident);
  EXPECT_EQ(pc.cost(), Fen(0));
}

TEST(MoneyRules, GovernmentPaysTheLowestGradeAndItsSubsidy) {
  // 004 三(二)2 代缴 for a 低保 person: the 100-yuan grade = 10,000 fen a year,
  // plus that grade's subsidy 3,000 fen: 13,000 fen a year to 区财政.
  Person p;
  p.flags = flag_bit(PersonFlag::dibao);
  const PersonCost pc =
      person_cost(costs_004(), p, Scheme::resident,
                  action_bit(Action::enroll_resident) | action_bit(Action::government_pays));
  EXPECT_EQ(pc.basis, SubsidyBasis::government);
  EXPECT_EQ(pc.government_pays, Fen(10'000));
  EXPECT_EQ(pc.subsidy, Fen(3'000));
  EXPECT_EQ(pc.cost(), Fen(13'000));
  EXPECT_EQ(pc.back_pay, Fen(0));
}

TEST(MoneyRules, BackPayIsCollectedNotACost) {
  // 004 三(二)2 补缴 for a 60+ uninsured resident: 15 years x 100 yuan = 1,500 yuan
  // = 150,000 fen, collected from the person; no yearly subsidy after it.
  Person p;
  const PersonCost pc =
      person_cost(costs_004(), p, Scheme::resident,
                  action_bit(Action::enroll_resident) | action_bit(Action::back_pay));
  EXPECT_EQ(pc.basis, SubsidyBasis::back_pay);
  EXPECT_EQ(pc.back_pay, Fen(150'000));
  EXPECT_EQ(pc.cost(), Fen(0));
}

TEST(MoneyRules, UnitCostsRollUpTheTree) {
  // tiers-policy: town with villages v1..v4. Persons: v1 grade 300 (5,000 fen),
  // v2 代缴 (13,000 fen), unlinked grade 100 (3,000 fen, in no unit).
  const PolicyPtr policy = load(tiers_doc());
  const Costs c = costs_004();
  Person g300;
  g300.resident_grade_yuan = 300;
  Person g100;
  g100.resident_grade_yuan = 100;
  const std::vector<PersonCost> persons = {
      person_cost(c, g300, Scheme::resident, 0),
      person_cost(c, Person{}, Scheme::resident, action_bit(Action::government_pays)),
      person_cost(c, g100, Scheme::resident, 0)};
  const auto units = unit_costs(*policy, persons, {1, 2, -1});
  EXPECT_EQ(units[1].own.subsidy, Fen(5'000));
  EXPECT_EQ(units[2].own.government_pays, Fen(10'000));
  EXPECT_EQ(units[2].own.subsidy, Fen(3'000));
  // The town: 5,000 + 3,000 subsidy, 10,000 代缴, 2 persons (the unlinked one is in no unit).
  EXPECT_EQ(units[0].own.persons, 0);
  EXPECT_EQ(units[0].total.persons, 2);
  EXPECT_EQ(units[0].total.subsidy, Fen(8'000));
  EXPECT_EQ(units[0].total.government_pays, Fen(10'000));
  EXPECT_THROW(unit_costs(*policy, persons, {1, 2}), ArgumentError);
  EXPECT_THROW(unit_costs(*policy, persons, {1, 2, 9}), ArgumentError);
}

// ---- the campaign's total ------------------------------------------------------

TEST(MoneyRules, CampaignCostAddsWorkFundAndIncentivesPerPayer) {
  json doc = tiers_doc();
  doc["work_fund"]["payer"] = "县财政";
  doc["incentives"] = json::array({tiered_incentive(), capped_incentive()});
  const PolicyPtr p = load(doc);
  const Progress g = tiers_progress(p);
  const CampaignCost c = campaign_cost(*p, &g, nullptr, nullptr, d("2021-12-31"));
  // Work fund: v1 1,234 x 100 = 123,400; v2 x 80 = 98,720; v3 x 60 = 74,040; v4 late 0
  // = 296,160 fen. Incentives: early 98,720 (above); paid_reward 4 x 100,000 (capped)
  // = 400,000. Total 296,160 + 98,720 + 400,000 = 794,880 fen.
  EXPECT_EQ(c.work_fund_total, Fen(296'160));
  EXPECT_EQ(c.incentives_total, Fen(498'720));
  EXPECT_EQ(c.total, Fen(794'880));
  EXPECT_TRUE(c.illustrative);  // "early" is illustrative
  // 县财政: 296,160 + 98,720 = 394,880; 镇财政: 400,000.
  ASSERT_EQ(c.payers.size(), 2u);
  EXPECT_EQ(c.payers[0].payer, "县财政");
  EXPECT_EQ(c.payers[0].amount, Fen(394'880));
  EXPECT_TRUE(c.payers[0].illustrative);
  EXPECT_EQ(c.payers[1].payer, "镇财政");
  EXPECT_EQ(c.payers[1].amount, Fen(400'000));
  EXPECT_FALSE(c.payers[1].illustrative);
  EXPECT_THROW(campaign_cost(*p, nullptr, nullptr, nullptr, d("2021-12-31")), ArgumentError);
}

TEST(MoneyRules, CostsOpPricesTheSampleRosterOf004) {
  const PolicyPtr p = load_policy_file(source_dir + "/examples/policies/004-shiyan-2023.json");
  std::ifstream in(source_dir + "/examples/rosters/004-sample.csv", std::ios::binary);
  std::stringstream roster;
  roster << in.rdbuf();
  const json req = {{"op", "costs"}, {"as_of", "2023-06-30"}, {"roster_csv", roster.str()}};
  const json r = json::parse(call_json(*p, req.dump()));
  // Each person's figures follow from its recommendation; the totals are their sums.
  std::int64_t subsidy = 0, government = 0, back = 0;
  for (const auto& person : r["persons"]) {
    subsidy += person["subsidy_fen"].get<std::int64_t>();
    government += person["government_pays_fen"].get<std::int64_t>();
    back += person["back_pay_fen"].get<std::int64_t>();
    EXPECT_EQ(person.count("id_number"), 0u);
    const std::string actions = person["actions"];
    if (actions.find("government_pays") != std::string::npos) {
      EXPECT_EQ(person["government_pays_fen"], 10'000);  // 100 yuan a year
      EXPECT_EQ(person["subsidy_fen"], 3'000);
    }
    if (actions.find("back_pay") != std::string::npos) {
      EXPECT_EQ(person["back_pay_fen"], 150'000);  // 15 x 100 yuan
    }
  }
  EXPECT_EQ(r["subsidy_fen"], subsidy);
  EXPECT_EQ(r["government_pays_fen"], government);
  EXPECT_EQ(r["back_pay_collected_fen"], back);
  EXPECT_EQ(r["total_fen"], subsidy + government);
  EXPECT_GT(government, 0);
  EXPECT_GT(back, 0);
  EXPECT_EQ(r["illustrative"], true);
  EXPECT_EQ(r["payers"][0]["payer"], "区财政");
}

// ---- validation ----------------------------------------------------------------

TEST(MoneyRules, IncentiveErrorsNameTheirPath) {
  json doc = tiers_doc();
  json in = capped_incentive();
  in["bonus"] = 1;
  doc["incentives"] = json::array({in});
  EXPECT_NE(load_error(doc).find("incentives[0].bonus: unknown key"), std::string::npos)
      << load_error(doc);

  in = capped_incentive();
  in["per_unit_fen"] = 100;
  doc["incentives"] = json::array({in});
  EXPECT_NE(load_error(doc).find("incentives[0].per_unit_fen: give exactly one of"),
            std::string::npos)
      << load_error(doc);

  in = tiered_incentive();
  in["per_person_fen"] = 100;
  doc["incentives"] = json::array({in});
  EXPECT_NE(load_error(doc).find("incentives[0].tiers: give exactly one of"), std::string::npos)
      << load_error(doc);

  in = tiered_incentive();
  in["tiers"][1]["deadline"] = "2021-09-01";
  doc["incentives"] = json::array({in});
  EXPECT_NE(load_error(doc).find("incentives[0].tiers[1].deadline: must be after"),
            std::string::npos)
      << load_error(doc);

  in = capped_incentive();
  in["basis_metric"] = "enrollment_rate";
  doc["incentives"] = json::array({in});
  EXPECT_NE(load_error(doc).find("incentives[0].basis_metric: metric \"enrollment_rate\" is rate, "
                                 "expected a count metric"),
            std::string::npos)
      << load_error(doc);

  in = capped_incentive();
  in.erase("basis_metric");
  doc["incentives"] = json::array({in});
  EXPECT_NE(load_error(doc).find("incentives[0].basis_metric: required"), std::string::npos)
      << load_error(doc);

  in = capped_incentive();
  in["cap_fen"] = 0;
  doc["incentives"] = json::array({in});
  EXPECT_NE(load_error(doc).find("incentives[0].cap_fen"), std::string::npos) << load_error(doc);

  in = capped_incentive();
  in["units"] = json{{"level", "county"}};
  doc["incentives"] = json::array({in});
  EXPECT_NE(load_error(doc).find("incentives[0].units.level: no unit has level"), std::string::npos)
      << load_error(doc);

  in = capped_incentive();
  in.erase("per_person_fen");
  doc["incentives"] = json::array({in});
  EXPECT_NE(load_error(doc).find("incentives[0]: needs an amount"), std::string::npos)
      << load_error(doc);

  doc["incentives"] = json::array({capped_incentive(), capped_incentive()});
  EXPECT_NE(load_error(doc).find("incentives[1].id: duplicate incentive id"), std::string::npos)
      << load_error(doc);

  doc["incentives"] = json::array();
  EXPECT_NE(load_error(doc).find("incentives: list at least one"), std::string::npos);

  // Tiers without `when` pay by completion: the policy must define it.
  doc = tiers_doc();
  doc.erase("work_fund");
  doc.erase("completion");
  doc["incentives"] = json::array({tiered_incentive()});
  EXPECT_NE(load_error(doc).find("incentives[0].tiers: tiers without \"when\""), std::string::npos)
      << load_error(doc);
}

TEST(MoneyRules, CostsErrorsNameTheirPath) {
  const json base = read_json("examples/policies/004-shiyan-2023.json");
  json doc = base;
  doc["costs"]["grade"] = 1;
  EXPECT_NE(load_error(doc).find("costs.grade: unknown key"), std::string::npos) << load_error(doc);

  doc = base;
  doc["costs"]["grades"][2]["yuan"] = 200;  // 100, 200, 200: not strictly increasing
  EXPECT_NE(load_error(doc).find("costs.grades[2].yuan: grades must be strictly increasing"),
            std::string::npos)
      << load_error(doc);

  doc = base;
  doc["costs"]["government_pays"]["grade_yuan"] = 150;
  EXPECT_NE(load_error(doc).find("costs.government_pays.grade_yuan: 150 is not a grade"),
            std::string::npos)
      << load_error(doc);

  doc = base;
  doc["costs"]["back_pay"]["grade_yuan"] = 250;
  EXPECT_NE(load_error(doc).find("costs.back_pay.grade_yuan: 250 is not a grade"),
            std::string::npos)
      << load_error(doc);

  doc = base;
  doc["costs"]["grades"][0]["subsidy_fen"] = "30";  // money is integer fen
  EXPECT_NE(load_error(doc).find("costs.grades[0].subsidy_fen"), std::string::npos)
      << load_error(doc);

  // 004's tables recommend 代缴: the costs must price it.
  doc = base;
  doc["costs"].erase("government_pays");
  EXPECT_NE(load_error(doc).find("costs.government_pays: required: recommendation.tables"),
            std::string::npos)
      << load_error(doc);

  // Costs are priced per person by the recommendation tables.
  doc = tiers_doc();
  doc["costs"] = base["costs"];
  EXPECT_NE(load_error(doc).find("costs: costs are priced per person"), std::string::npos)
      << load_error(doc);
}

// ---- round trips and old policies ------------------------------------------------

TEST(MoneyRules, NewSectionsRoundTripAndEnterTheFingerprint) {
  json doc = tiers_doc();
  const std::string before = load(doc)->fingerprint();
  doc["incentives"] = json::array({tiered_incentive(), capped_incentive()});
  const PolicyPtr p = load(doc);
  EXPECT_NE(p->fingerprint(), before);
  const PolicyPtr again = load_policy(to_json(*p), "round trip");
  EXPECT_EQ(again->fingerprint(), p->fingerprint());
  EXPECT_EQ(to_json(*again), to_json(*p));
  const PolicyPtr p004 = load_policy_file(source_dir + "/examples/policies/004-shiyan-2023.json");
  EXPECT_EQ(load_policy(to_json(*p004), "round trip")->fingerprint(), p004->fingerprint());
  // A changed amount changes the fingerprint.
  json changed = json::parse(to_json(*p004));
  changed["costs"]["grades"][0]["subsidy_fen"] = 3100;
  EXPECT_NE(load(changed)->fingerprint(), p004->fingerprint());
}

TEST(MoneyRules, PoliciesWithoutTheNewSectionsKeepTheirFingerprints) {
  // Fingerprints of test policies written before incentives and costs existed
  // (canbao validate at c4e8d35): an old document reads and writes back the
  // same canonical JSON, so the same rules keep the same fingerprint.
  const std::vector<std::pair<std::string, std::string>> pinned = {
      {"declared-facts", "fabbd1cb324966f42a5b2595f533d3f5ad31547f5537349cded051ca89a34851"},
      {"extended-lists", "3320777229a2a76d5370d37694825e59511ba35157a6973bf7274ecb891db284"},
      {"prior-contribution", "0256b04ab4e234906a7bcfc08e0f61d67d208cf7ed06ab53f8fe84563a4a98e5"},
      {"valid-small", "9c66902a67935d54b165191f1fdbc1cc4bd520cfcd0f04a516811a6e7c3a8cd0"},
  };
  for (const auto& [name, fingerprint] : pinned) {
    SCOPED_TRACE(name);
    const PolicyPtr p = load_policy_file(source_dir + "/tests/data/policies/" + name + ".json");
    EXPECT_EQ(p->fingerprint(), fingerprint);
    const json canonical = json::parse(to_json(*p));
    EXPECT_FALSE(canonical.contains("incentives"));
    EXPECT_FALSE(canonical.contains("costs"));
  }
}

TEST(MoneyRules, RosterUnitIdColumnGivesPerUnitTotals) {
  // Two persons of 004 linked to villages, one linked to none: p04 (低保, 代缴
  // 10,000 + subsidy 3,000 fen) in village-a, p15 (500 grade, 6,000 fen) in
  // village-b. The town 石堰镇 sums both: subsidy 9,000, 代缴 10,000 fen.
  const PolicyPtr p = load_policy_file(source_dir + "/examples/policies/004-shiyan-2023.json");
  const std::string roster =
      "id,id_number,name,sex,birth_date,hukou_local,insurance_status,employment,"
      "resident_grade_yuan,flags,unit_id\n"
      "p04,,甲,female,1973-01-01,true,none,unemployed,,dibao,village-a\n"
      "p15,,乙,female,1975-11-11,true,resident_paying,farmer,500,,village-b\n"
      "p16,,丙,male,1970-01-01,true,resident_paying,farmer,2000,,\n";
  const json req = {{"op", "costs"}, {"as_of", "2023-06-30"}, {"roster_csv", roster}};
  const json r = json::parse(call_json(*p, req.dump()));
  ASSERT_TRUE(r.contains("units"));
  const json& town = r["units"][0];
  EXPECT_EQ(town["unit_id"], "shiyan");
  EXPECT_EQ(town["total"]["persons"], 2);
  EXPECT_EQ(town["total"]["subsidy_fen"], 9'000);
  EXPECT_EQ(town["total"]["government_pays_fen"], 10'000);
  EXPECT_EQ(r["persons"][2]["unit_id"], nullptr);
  // p16 is in no unit but in the campaign's total: 9,000 + 12,000 (2000 grade) + 10,000.
  EXPECT_EQ(r["total_fen"], 31'000);

  const json bad = {{"op", "costs"},
                    {"as_of", "2023-06-30"},
                    {"roster_csv", roster.substr(0, roster.find("village-a")) + "nowhere\n"}};
  try {
    call_json(*p, bad.dump());
    ADD_FAILURE() << "an unknown unit_id loaded";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "request.roster_csv:2:11");
  }
}
