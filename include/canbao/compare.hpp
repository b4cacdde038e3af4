// Comparison of a base policy and a reform on the same roster and progress:
// "if the age rule becomes 50/45, who changes scheme?", "if the first
// deadline moves two weeks earlier, what does the county pay?". Each policy is
// evaluated on its own (progress is read against each policy separately: unit
// and metric indices belong to a policy); the results are matched by roster
// row, unit id and milestone id. Plain result structs (ReformComparison); writers in
// compare_writers (text, JSON, CSV) only format.
#pragma once

#include <canbao/export.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <canbao/date.hpp>
#include <canbao/evaluation.hpp>
#include <canbao/money.hpp>
#include <canbao/policy.hpp>
#include <canbao/progress.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/roster.hpp>

namespace canbao {

// A person's answer as the comparison sees it.
struct PersonAnswer {
  Scheme scheme = Scheme::none;
  ActionSet actions = 0;
  GroupSet groups = 0;
  friend bool operator==(const PersonAnswer& a, const PersonAnswer& b) {
    return a.scheme == b.scheme && a.actions == b.actions && a.groups == b.groups;
  }
};

// How many people went from one (scheme, actions) to another. Groups are not
// part of the key (see PeopleComparison::groups_changed).
struct Transition {
  Scheme scheme_before = Scheme::none;
  ActionSet actions_before = 0;
  Scheme scheme_after = Scheme::none;
  ActionSet actions_after = 0;
  std::int64_t count = 0;
  bool changed() const { return scheme_before != scheme_after || actions_before != actions_after; }
};

// One person whose scheme or actions changed. No whole ID number: only the
// roster's masked form (first 6 + last 4).
struct PersonChange {
  std::size_t index = 0;  // position in the roster
  std::string row_id;     // the roster's own row id
  std::string masked_id;  // "" when the roster has no ID number
  Sex sex = Sex::male;
  int age = 0;  // whole years on as_of
  PersonAnswer before, after;
};

struct PeopleComparison {
  std::int64_t people = 0;
  std::int64_t changed = 0;         // scheme or actions differ
  std::int64_t groups_changed = 0;  // priority groups differ (whatever the scheme)
  // Every (before, after) pair seen, ordered by before then after (scheme,
  // then actions bits): unchanged pairs too, so the counts add up to people.
  std::vector<Transition> transitions;
  std::vector<PersonChange> samples;  // the first N changed people, roster order
};

// A paid unit's work fund under each policy. A unit paid under only one of
// them has present_before / present_after false and 0 fen on the other side.
struct UnitPayoutChange {
  std::string unit_id;
  std::string unit_name;
  bool present_before = false, present_after = false;
  std::optional<Date> completed_before, completed_after;
  WorkFundStatus status_before = WorkFundStatus::not_complete;
  WorkFundStatus status_after = WorkFundStatus::not_complete;
  int tier_before = -1, tier_after = -1;  // tier index, -1 when not paid by a tier
  Fen before, after, delta;
};

struct PayoutComparison {
  std::vector<UnitPayoutChange> units;  // base's paid units in policy order, then reform-only ones
  Fen total_before, total_after, total_delta;
  std::int64_t units_changed = 0;  // units whose amount differs
};

struct UnitScoreChange {
  std::string unit_id;
  bool present_before = false, present_after = false;
  std::int64_t micro_points_before = 0, micro_points_after = 0;
  int rank_before = 0, rank_after = 0;
  std::string grade_before, grade_after;  // "" for none
  bool eligible_before = true, eligible_after = true;
  bool changed() const {
    return present_before != present_after || micro_points_before != micro_points_after ||
           rank_before != rank_after || grade_before != grade_after ||
           eligible_before != eligible_after;
  }
};

struct ScoreComparison {
  std::vector<UnitScoreChange> units;  // base's listing order (by rank), then reform-only ones
  std::int64_t units_changed = 0;
};

// A (milestone, unit) whose status differs. newly_met: met on time under the
// reform but not under the base; newly_missed: the reverse; otherwise both sides
// are not met on time but differ (e.g. not_yet_due -> missed after a due date moved).
struct MilestoneChange {
  std::string milestone_id;
  std::string unit_id;
  std::optional<MilestoneStatus> before,
      after;  // nothing: the milestone or unit is absent on that side
  std::optional<Date> due_before, due_after;
  enum class Kind { newly_met, newly_missed, other } kind = Kind::other;
};
CANBAO_API const char* milestone_change_kind_name(MilestoneChange::Kind k) noexcept;  // "newly_met", ...

struct ReformComparison {
  Date as_of;
  std::string base_fingerprint, reform_fingerprint;
  std::optional<Provenance> reform_provenance;
  std::optional<PeopleComparison> people;  // when a roster was given
  std::optional<PayoutComparison>
      payouts;  // when progress was given and either policy has a work fund
  std::optional<ScoreComparison> scores;  // when progress was given and either policy has scoring
  std::optional<std::vector<MilestoneChange>> milestones;  // when progress was given
};

// Reads the same progress against a given policy; called once per policy.
using ProgressReader = std::function<Progress(const PolicyPtr&)>;
CANBAO_API ProgressReader progress_from_csv_text(std::string csv_text, std::string source);
CANBAO_API ProgressReader progress_from_records(std::vector<Observation> records);

struct CompareOptions {
  std::size_t samples = 10;  // PersonChange rows kept
};

// Compares base and reform as of `as_of`. `roster` (may be null) needs both
// policies to have a recommendation section (PolicyError naming which lacks
// it); `progress` (may be empty) is read against each policy. ArgumentError
// when neither is given.
CANBAO_API ReformComparison compare(const PolicyPtr& base, const PolicyPtr& reform, const Roster* roster,
                         const ProgressReader& progress, Date as_of,
                         const CompareOptions& options = {});

// Writers (compare_writers.cpp). Text: sections with aligned tables, yuan with
// two decimals, both fingerprints and the provenance. JSON: one object
// (documented in docs/reforms.md). CSV: one table per section, each preceded
// by a "# section" line.
CANBAO_API void write_comparison_text(const ReformComparison& c, std::ostream& out);
CANBAO_API void write_comparison_json(const ReformComparison& c, std::ostream& out, int indent = 2);
CANBAO_API void write_comparison_csv(const ReformComparison& c, std::ostream& out);

}  // namespace canbao
