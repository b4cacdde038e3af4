// Reforms (reform.hpp) and their comparison (compare.hpp) on seed 000's work
// fund: 1 yuan by 2021-09-30, 0.8 by 10-15, 0.6 by 11-30 (000 五(一)).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <canbao/compare.hpp>
#include <canbao/error.hpp>
#include <canbao/reform.hpp>

namespace canbao {
namespace {

const std::string kDir = CANBAO_SOURCE_DIR "/examples/";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

PolicyPtr base000() { return load_policy_file(kDir + "policies/000-xx-town-2021.json"); }
ProgressReader progress000() {
  return progress_from_csv_text(slurp(kDir + "progress/000-xx-town-2021.csv"),
                                "000-xx-town-2021.csv");
}

TEST(Reform, MergePatchSecondTierTo90ChangesExactlyTheTier2UnitsAndTheTotalBySumOfDeltas) {
  const PolicyPtr base = base000();
  const PolicyPtr reform = apply_reform_file(*base, kDir + "patches/000-second-tier-90.merge.json");
  ASSERT_EQ(reform->work_fund->tiers[1].per_person.count(), 90);
  const Date as_of = *parse_iso_date("2021-12-31");
  const ReformComparison c = compare(base, reform, nullptr, progress000(), as_of);
  ASSERT_TRUE(c.payouts);
  std::int64_t sum_of_deltas = 0;
  int tier2_units = 0;
  for (const UnitPayoutChange& u : c.payouts->units) {
    sum_of_deltas += u.delta.count();
    if (u.tier_before == 1) {
      ++tier2_units;
      // 80 -> 90 fen per person: the delta is 10 fen x the basis (heping: 1,486).
      EXPECT_EQ(u.after.count() * 80, u.before.count() * 90) << u.unit_id;
      EXPECT_NE(u.delta.count(), 0) << u.unit_id;
    } else {
      EXPECT_EQ(u.delta.count(), 0) << u.unit_id;
    }
  }
  EXPECT_EQ(tier2_units, 1);
  EXPECT_EQ(c.payouts->units_changed, 1);
  EXPECT_EQ(c.payouts->total_before.count(), 677960);
  EXPECT_EQ(c.payouts->total_after.count(), 677960 + 1486 * 10);
  EXPECT_EQ(c.payouts->total_delta.count(), sum_of_deltas);
  // Scores and milestones do not read work-fund tiers.
  EXPECT_EQ(c.scores->units_changed, 0);
  EXPECT_TRUE(c.milestones->empty());
}

TEST(Reform, FirstDeadlineTwoWeeksEarlierMovesTheVillagesCompletingOn0930ToTier2) {
  const PolicyPtr base = base000();
  const PolicyPtr reform =
      apply_reform_file(*base, kDir + "patches/000-first-deadline-two-weeks-earlier.merge.json");
  const ReformComparison c =
      compare(base, reform, nullptr, progress000(), *parse_iso_date("2021-12-31"));
  // hongqi (1,995) and xinmin (905) completed on 2021-09-30: 100 -> 80 fen each.
  EXPECT_EQ(c.payouts->total_delta.count(), -(1995 + 905) * 20);
  for (const UnitPayoutChange& u : c.payouts->units) {
    if (u.unit_id == "hongqi" || u.unit_id == "xinmin") {
      EXPECT_EQ(u.tier_before, 0);
      EXPECT_EQ(u.tier_after, 1);
    } else {
      EXPECT_EQ(u.delta.count(), 0) << u.unit_id;
    }
  }
}

TEST(Reform, ProvenanceAndFingerprints) {
  const PolicyPtr base = base000();
  EXPECT_FALSE(base->provenance);
  const std::string patch = R"({"work_fund": {"payer": "市财政"}})";
  const PolicyPtr reform = apply_reform(*base, patch);
  ASSERT_TRUE(reform->provenance);
  EXPECT_EQ(reform->provenance->base_fingerprint, base->fingerprint());
  EXPECT_EQ(reform->provenance->patch_kind, "merge_patch");
  EXPECT_EQ(reform->provenance->patch, R"({"work_fund":{"payer":"市财政"}})");
  EXPECT_NE(reform->fingerprint(), base->fingerprint());
  EXPECT_EQ(reform->fingerprint().size(), 64u);
  // The fingerprint is the rules', not the history's: loading the reformed
  // canonical JSON gives the same fingerprint and no provenance.
  const PolicyPtr reloaded = load_policy(to_json(*reform));
  EXPECT_EQ(reloaded->fingerprint(), reform->fingerprint());
  EXPECT_FALSE(reloaded->provenance);
  // An empty merge patch changes nothing.
  EXPECT_EQ(apply_reform(*base, "{}")->fingerprint(), base->fingerprint());
}

TEST(Reform, InvalidPatchIsRejectedWithThePolicyPathAndNothingIsCompared) {
  const PolicyPtr base = base000();
  try {
    apply_reform_file(*base, kDir + "patches/000-tiers-out-of-order.merge.json");
    FAIL() << "expected PolicyError";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where(), "reformed policy: work_fund.tiers[2].deadline");
    EXPECT_NE(e.message().find("must be after"), std::string::npos) << e.message();
  }
}

TEST(Reform, JsonPatchTestOpFailingNamesTheOperation) {
  const PolicyPtr base = base000();
  const std::string patch = R"([
    {"op": "test", "path": "/work_fund/tiers/1/per_person_fen", "value": 80},
    {"op": "replace", "path": "/work_fund/tiers/1/per_person_fen", "value": 90},
    {"op": "test", "path": "/work_fund/tiers/1/per_person_fen", "value": 95}])";
  try {
    apply_reform(*base, patch);
    FAIL() << "expected PolicyError";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where(), "patch[2]");
    EXPECT_EQ(e.message(), "test failed: /work_fund/tiers/1/per_person_fen is 90, expected 95");
  }
  const PolicyPtr ok = apply_reform(*base, R"([
    {"op": "test", "path": "/work_fund/tiers/1/per_person_fen", "value": 80},
    {"op": "replace", "path": "/work_fund/tiers/1/per_person_fen", "value": 90}])");
  EXPECT_EQ(ok->work_fund->tiers[1].per_person.count(), 90);
  EXPECT_EQ(ok->provenance->patch_kind, "json_patch");
}

TEST(Reform, JsonPatchErrorsNameTheOperation) {
  const PolicyPtr base = base000();
  auto where = [&](const std::string& patch) {
    try {
      apply_reform(*base, patch);
    } catch (const PolicyError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(where(R"([{"op": "remove", "path": "/work_fund/tiers/7"}])").rfind("patch[0]: ", 0),
            0u);
  EXPECT_EQ(where(R"([{"op": "frobnicate", "path": "/x"}])").rfind("patch[0]: ", 0), 0u);
  EXPECT_EQ(where(R"([{"op": "add", "path": "/x", "value": 1}, {"path": "/y"}])"),
            "patch[1].op: required string is missing");
  EXPECT_EQ(where("[1]"), "patch[0]: expected an operation object, got an integer");
  EXPECT_EQ(
      where("42"),
      "patch: expected an object (JSON Merge Patch) or an array (JSON Patch), got an integer");
  EXPECT_EQ(where("{").rfind("patch: not valid JSON", 0), 0u);
  // An unknown key added by a patch is caught by the loader, with its path.
  EXPECT_EQ(where(R"({"work_fund": {"tiers_typo": []}})")
                .rfind("reformed policy: work_fund.tiers_typo: unknown key", 0),
            0u);
  // An explicit kind that does not match the text.
  EXPECT_THROW(apply_reform(*base, "[]", PatchKind::merge_patch), PolicyError);
  EXPECT_THROW(apply_reform(*base, "{}", PatchKind::json_patch), PolicyError);
}

}  // namespace
}  // namespace canbao
