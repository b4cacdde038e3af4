// Writers for a ReformComparison: they only format what compare() computed. Tiers
// are printed 1-based ("tier 2" is the second deadline: 80 fen in 000), as in
// the payouts report. ID numbers only ever appear masked (the roster masks them).
#include <canbao/compare.hpp>

#include <algorithm>
#include <ostream>

#include <nlohmann/json.hpp>

#include <canbao/ranking.hpp>

#include "detail/csv.hpp"
#include "detail/result_json.hpp"
#include "detail/text_table.hpp"

namespace canbao {
namespace {

using nlohmann::json;

std::string scheme_actions(Scheme s, ActionSet a) {
  const std::string actions = actions_text(a);
  return std::string(scheme_name(s)) + (actions.empty() ? "" : " " + actions);
}

std::string signed_yuan(Fen f) { return (f > Fen(0) ? "+" : "") + f.yuan_string(); }

std::string tier_label(bool present, WorkFundStatus status, int tier) {
  if (!present) return "absent";
  switch (status) {
    case WorkFundStatus::tier:
      return "tier " + std::to_string(tier + 1);
    case WorkFundStatus::late:
      return "late";
    case WorkFundStatus::not_complete:
      return "not complete";
  }
  return "?";
}

std::string date_text(const std::optional<Date>& d) { return d ? d->iso() : "-"; }

std::string milestone_text(const std::optional<MilestoneStatus>& s) {
  return s ? milestone_status_name(*s) : "absent";
}

json date_json(const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); }
json tier_json(bool present, WorkFundStatus status, int tier) {
  return present && status == WorkFundStatus::tier ? json(tier + 1) : json(nullptr);
}
json answer_json(const PersonAnswer& a) {
  return json{{"scheme", scheme_name(a.scheme)},
              {"actions", actions_text(a.actions)},
              {"groups", groups_text(a.groups)}};
}

}  // namespace

void write_comparison_text(const ReformComparison& c, std::ostream& out) {
  out << "canbao diff as of " << c.as_of.iso() << "\n";
  out << "  base    fingerprint " << c.base_fingerprint << "\n";
  out << "  reform  fingerprint " << c.reform_fingerprint << "\n";
  if (c.reform_provenance) {
    out << "          provenance: base " << c.reform_provenance->base_fingerprint << " + "
        << c.reform_provenance->patch_kind << " " << c.reform_provenance->patch << "\n";
  }
  if (c.base_fingerprint == c.reform_fingerprint)
    out << "  (the two policies have the same rules)\n";

  if (c.payouts) {
    const PayoutComparison& p = *c.payouts;
    out << "\n工作经费 [work fund] per paid unit (yuan): " << p.units_changed << " of "
        << p.units.size() << " units change\n";
    detail::TextTable t;
    t.row({"unit", "completed", "before", "after", "yuan before", "yuan after", "delta", "name"});
    for (const UnitPayoutChange& u : p.units) {
      t.row({u.unit_id + (u.delta != Fen(0) ? " *" : ""),
             date_text(u.completed_after ? u.completed_after : u.completed_before),
             tier_label(u.present_before, u.status_before, u.tier_before),
             tier_label(u.present_after, u.status_after, u.tier_after), u.before.yuan_string(),
             u.after.yuan_string(), signed_yuan(u.delta), u.unit_name});
    }
    t.row({"total", "", "", "", p.total_before.yuan_string(), p.total_after.yuan_string(),
           signed_yuan(p.total_delta), ""});
    t.print_trimmed(out);
  }

  if (c.people) {
    const PeopleComparison& p = *c.people;
    out << "\n人员 [people]: " << p.changed << " of " << p.people << " change scheme or actions; "
        << p.groups_changed << " change priority groups\n";
    detail::TextTable t;
    t.row({"before", "after", "count", ""});
    for (const Transition& tr : p.transitions) {
      t.row({scheme_actions(tr.scheme_before, tr.actions_before),
             scheme_actions(tr.scheme_after, tr.actions_after), std::to_string(tr.count),
             tr.changed() ? "*" : ""});
    }
    t.print_trimmed(out);
    if (!p.samples.empty()) {
      out << "  first " << p.samples.size() << " changed:\n";
      detail::TextTable s;
      s.row({"row", "id number", "sex", "age", "before", "after"});
      for (const PersonChange& ch : p.samples) {
        s.row({ch.row_id, ch.masked_id.empty() ? "-" : ch.masked_id, sex_name(ch.sex),
               std::to_string(ch.age), scheme_actions(ch.before.scheme, ch.before.actions),
               scheme_actions(ch.after.scheme, ch.after.actions)});
      }
      s.print_trimmed(out, "    ");
    }
  }

  if (c.scores) {
    const ScoreComparison& s = *c.scores;
    out << "\n评分排名 [scores and ranks]: " << s.units_changed << " of " << s.units.size()
        << " units change\n";
    detail::TextTable t;
    t.row({"unit", "points before", "points after", "rank", "grade", ""});
    for (const UnitScoreChange& u : s.units) {
      t.row({u.unit_id, u.present_before ? points_string(u.micro_points_before) : "-",
             u.present_after ? points_string(u.micro_points_after) : "-",
             std::to_string(u.rank_before) + " -> " + std::to_string(u.rank_after),
             (u.grade_before.empty() ? "-" : u.grade_before) + " -> " +
                 (u.grade_after.empty() ? "-" : u.grade_after),
             u.changed() ? "*" : ""});
    }
    t.print_trimmed(out);
  }

  if (c.milestones) {
    out << "\n节点目标 [milestones]: " << c.milestones->size()
        << " (milestone, unit) statuses change\n";
    if (!c.milestones->empty()) {
      detail::TextTable t;
      t.row({"change", "milestone", "unit", "before", "after"});
      for (const MilestoneChange& m : *c.milestones) {
        t.row({milestone_change_kind_name(m.kind), m.milestone_id, m.unit_id,
               milestone_text(m.before), milestone_text(m.after)});
      }
      t.print_trimmed(out);
    }
  }
}

namespace detail {

json to_json_value(const ReformComparison& c) {
  json j;
  j["as_of"] = c.as_of.iso();
  j["base_fingerprint"] = c.base_fingerprint;
  j["reform_fingerprint"] = c.reform_fingerprint;
  j["reform_provenance"] = c.reform_provenance
                               ? json{{"base_fingerprint", c.reform_provenance->base_fingerprint},
                                      {"patch_kind", c.reform_provenance->patch_kind},
                                      {"patch", json::parse(c.reform_provenance->patch)}}
                               : json(nullptr);
  j["payouts"] = nullptr;
  if (c.payouts) {
    json units = json::array();
    for (const UnitPayoutChange& u : c.payouts->units) {
      units.push_back(
          {{"unit_id", u.unit_id},
           {"name", u.unit_name},
           {"completed_before", date_json(u.completed_before)},
           {"completed_after", date_json(u.completed_after)},
           {"status_before",
            u.present_before ? json(work_fund_status_name(u.status_before)) : json(nullptr)},
           {"status_after",
            u.present_after ? json(work_fund_status_name(u.status_after)) : json(nullptr)},
           {"tier_before", tier_json(u.present_before, u.status_before, u.tier_before)},
           {"tier_after", tier_json(u.present_after, u.status_after, u.tier_after)},
           {"before_fen", u.before.count()},
           {"after_fen", u.after.count()},
           {"delta_fen", u.delta.count()}});
    }
    j["payouts"] = {{"units", std::move(units)},
                    {"units_changed", c.payouts->units_changed},
                    {"total_before_fen", c.payouts->total_before.count()},
                    {"total_after_fen", c.payouts->total_after.count()},
                    {"total_delta_fen", c.payouts->total_delta.count()}};
  }
  j["people"] = nullptr;
  if (c.people) {
    json transitions = json::array();
    for (const Transition& t : c.people->transitions) {
      transitions.push_back({{"scheme_before", scheme_name(t.scheme_before)},
                             {"actions_before", actions_text(t.actions_before)},
                             {"scheme_after", scheme_name(t.scheme_after)},
                             {"actions_after", actions_text(t.actions_after)},
                             {"changed", t.changed()},
                             {"count", t.count}});
    }
    json samples = json::array();
    for (const PersonChange& s : c.people->samples) {
      samples.push_back({{"index", s.index},
                         {"row_id", s.row_id},
                         {"id_number_masked", s.masked_id},
                         {"sex", sex_name(s.sex)},
                         {"age", s.age},
                         {"before", answer_json(s.before)},
                         {"after", answer_json(s.after)}});
    }
    j["people"] = {{"people", c.people->people},
                   {"changed", c.people->changed},
                   {"groups_changed", c.people->groups_changed},
                   {"transitions", std::move(transitions)},
                   {"samples", std::move(samples)}};
  }
  j["scores"] = nullptr;
  if (c.scores) {
    json units = json::array();
    for (const UnitScoreChange& u : c.scores->units) {
      units.push_back(
          {{"unit_id", u.unit_id},
           {"points_before",
            u.present_before ? json(points_string(u.micro_points_before)) : json(nullptr)},
           {"points_after",
            u.present_after ? json(points_string(u.micro_points_after)) : json(nullptr)},
           {"rank_before", u.present_before ? json(u.rank_before) : json(nullptr)},
           {"rank_after", u.present_after ? json(u.rank_after) : json(nullptr)},
           {"grade_before", u.grade_before.empty() ? json(nullptr) : json(u.grade_before)},
           {"grade_after", u.grade_after.empty() ? json(nullptr) : json(u.grade_after)},
           {"eligible_before", u.eligible_before},
           {"eligible_after", u.eligible_after},
           {"changed", u.changed()}});
    }
    j["scores"] = {{"units", std::move(units)}, {"units_changed", c.scores->units_changed}};
  }
  j["milestones"] = nullptr;
  if (c.milestones) {
    json changes = json::array();
    for (const MilestoneChange& m : *c.milestones) {
      changes.push_back(
          {{"change", milestone_change_kind_name(m.kind)},
           {"milestone_id", m.milestone_id},
           {"unit_id", m.unit_id},
           {"before", m.before ? json(milestone_status_name(*m.before)) : json(nullptr)},
           {"after", m.after ? json(milestone_status_name(*m.after)) : json(nullptr)},
           {"due_before", date_json(m.due_before)},
           {"due_after", date_json(m.due_after)}});
    }
    j["milestones"] = std::move(changes);
  }
  return j;
}

}  // namespace detail

void write_comparison_json(const ReformComparison& c, std::ostream& out, int indent) {
  detail::write_json_value(detail::to_json_value(c), out, indent);
}

void write_comparison_csv(const ReformComparison& c, std::ostream& out) {
  out << "# policies\n";
  detail::write_csv_row(out, {"as_of", "base_fingerprint", "reform_fingerprint",
                              "provenance_patch_kind", "provenance_patch"});
  detail::write_csv_row(out, {c.as_of.iso(), c.base_fingerprint, c.reform_fingerprint,
                              c.reform_provenance ? c.reform_provenance->patch_kind : "",
                              c.reform_provenance ? c.reform_provenance->patch : ""});
  auto tier_cell = [](bool present, WorkFundStatus s, int tier) {
    return present && s == WorkFundStatus::tier ? std::to_string(tier + 1) : std::string();
  };
  if (c.payouts) {
    out << "# payouts\n";
    detail::write_csv_row(
        out, {"unit_id", "name", "completed_before", "completed_after", "status_before",
              "status_after", "tier_before", "tier_after", "before_fen", "after_fen", "delta_fen"});
    for (const UnitPayoutChange& u : c.payouts->units) {
      detail::write_csv_row(
          out, {u.unit_id, u.unit_name, u.completed_before ? u.completed_before->iso() : "",
                u.completed_after ? u.completed_after->iso() : "",
                u.present_before ? work_fund_status_name(u.status_before) : "absent",
                u.present_after ? work_fund_status_name(u.status_after) : "absent",
                tier_cell(u.present_before, u.status_before, u.tier_before),
                tier_cell(u.present_after, u.status_after, u.tier_after),
                std::to_string(u.before.count()), std::to_string(u.after.count()),
                std::to_string(u.delta.count())});
    }
    // The total row has an empty unit_id, as in the payouts CSV.
    detail::write_csv_row(
        out, {"", "total", "", "", "", "", "", "", std::to_string(c.payouts->total_before.count()),
              std::to_string(c.payouts->total_after.count()),
              std::to_string(c.payouts->total_delta.count())});
  }
  if (c.people) {
    out << "# transitions\n";
    detail::write_csv_row(out, {"scheme_before", "actions_before", "scheme_after", "actions_after",
                                "changed", "count"});
    for (const Transition& t : c.people->transitions) {
      detail::write_csv_row(out, {scheme_name(t.scheme_before), actions_text(t.actions_before),
                                  scheme_name(t.scheme_after), actions_text(t.actions_after),
                                  t.changed() ? "1" : "0", std::to_string(t.count)});
    }
    out << "# samples\n";
    detail::write_csv_row(
        out, {"row_id", "id_number_masked", "sex", "age", "scheme_before", "actions_before",
              "groups_before", "scheme_after", "actions_after", "groups_after"});
    for (const PersonChange& s : c.people->samples) {
      detail::write_csv_row(out, {s.row_id, s.masked_id, sex_name(s.sex), std::to_string(s.age),
                                  scheme_name(s.before.scheme), actions_text(s.before.actions),
                                  groups_text(s.before.groups), scheme_name(s.after.scheme),
                                  actions_text(s.after.actions), groups_text(s.after.groups)});
    }
  }
  if (c.scores) {
    out << "# scores\n";
    detail::write_csv_row(out, {"unit_id", "points_before", "points_after", "rank_before",
                                "rank_after", "grade_before", "grade_after", "changed"});
    for (const UnitScoreChange& u : c.scores->units) {
      detail::write_csv_row(
          out, {u.unit_id, u.present_before ? points_string(u.micro_points_before) : "",
                u.present_after ? points_string(u.micro_points_after) : "",
                u.present_before ? std::to_string(u.rank_before) : "",
                u.present_after ? std::to_string(u.rank_after) : "", u.grade_before, u.grade_after,
                u.changed() ? "1" : "0"});
    }
  }
  if (c.milestones) {
    out << "# milestones\n";
    detail::write_csv_row(out, {"change", "milestone_id", "unit_id", "before", "after"});
    for (const MilestoneChange& m : *c.milestones) {
      detail::write_csv_row(out, {milestone_change_kind_name(m.kind), m.milestone_id, m.unit_id,
                                  milestone_text(m.before), milestone_text(m.after)});
    }
  }
}

}  // namespace canbao
