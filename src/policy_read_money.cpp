// Money beyond the work fund, read strictly: the "incentives" list and the
// "costs" section (docs/policy-format.md). Every key is read through
// ObjectReader, every reference resolved, every amount integer fen.
#include <string>
#include <vector>

#include "detail/model_access.hpp"
#include "detail/policy_reader.hpp"

namespace canbao::detail {

namespace {

const char* const kAmountKeys = "per_person_fen or per_unit_fen";

// Exactly one of per_person_fen / per_unit_fen, or nothing when `optional`
// and neither is given.
std::optional<IncentiveAmount> read_amount(ObjectReader& r, bool optional) {
  const bool person = r.has("per_person_fen");
  const bool unit = r.has("per_unit_fen");
  if (person && unit) {
    fail_at(r.path_of("per_unit_fen"),
            std::string("give exactly one of ") + kAmountKeys + ", not both");
  }
  if (!person && !unit) {
    if (optional) return std::nullopt;
    fail_at(r.path(), std::string("needs an amount: ") + kAmountKeys);
  }
  IncentiveAmount a;
  a.kind = person ? IncentiveAmount::Kind::per_person : IncentiveAmount::Kind::per_unit;
  a.fen = r.fen(person ? "per_person_fen" : "per_unit_fen", 0);
  return a;
}

// A yearly grade in yuan: Person::resident_grade_yuan holds 0..65535.
int read_grade_yuan(ObjectReader& r, const std::string& key) {
  return static_cast<int>(r.integer(key, 1, 65535));
}

void require_grade(const Costs& c, int yuan, const std::string& path) {
  for (const auto& g : c.grades) {
    if (g.yuan == yuan) return;
  }
  std::string known;
  for (const auto& g : c.grades) known += (known.empty() ? "" : ", ") + std::to_string(g.yuan);
  fail_at(path, std::to_string(yuan) + " is not a grade of costs.grades (" + known + ")");
}

// Every recommendation row that recommends `action` needs its price.
void require_priced(const Policy& p, Action action, bool priced, const std::string& path) {
  if (priced) return;
  for (const auto& t : p.recommendation->tables) {
    std::vector<const DecisionRow*> rows;
    for (const auto& row : t.rows) rows.push_back(&row);
    if (t.otherwise) rows.push_back(&*t.otherwise);
    for (const DecisionRow* row : rows) {
      if ((row->then.actions & action_bit(action)) == 0) continue;
      fail_at(path, std::string("required: ") + row->path + " recommends " + action_name(action) +
                        ", so costs must price it");
    }
  }
}

Incentive read_incentive(const json& j, const std::string& path, const Policy& p) {
  ObjectReader r(j, path);
  Incentive in;
  in.id = r.string("id");
  in.name = r.string("name");
  in.units = read_scope(r.required("units"), r.path_of("units"), p);
  const bool has_tiers = r.has("tiers");
  if (!has_tiers && !r.has("per_person_fen") && !r.has("per_unit_fen"))
    fail_at(path, std::string("needs an amount: ") + kAmountKeys + " or tiers");
  in.amount = read_amount(r, has_tiers);
  if (in.amount && has_tiers) {
    fail_at(r.path_of("tiers"),
            std::string("give exactly one of ") + kAmountKeys + " or tiers, not both");
  }
  bool per_person = in.amount && in.amount->kind == IncentiveAmount::Kind::per_person;
  if (has_tiers) {
    const json& tiers = r.array("tiers");
    if (tiers.empty()) fail_at(r.path_of("tiers"), "list at least one tier");
    for (std::size_t i = 0; i < tiers.size(); ++i) {
      ObjectReader tr(tiers[i], path_index(r.path_of("tiers"), i));
      IncentiveTier t;
      t.deadline = read_date_spec(tr, "deadline", p.campaign.year);
      t.amount = *read_amount(tr, false);
      tr.done();
      if (i > 0 && t.deadline.date <= in.tiers.back().deadline.date) {
        fail_at(tr.path_of("deadline"), "must be after tiers[" + std::to_string(i - 1) +
                                            "].deadline " + in.tiers.back().deadline.date.iso());
      }
      per_person = per_person || t.amount.kind == IncentiveAmount::Kind::per_person;
      in.tiers.push_back(std::move(t));
    }
  }
  if (auto basis = r.optional_string("basis_metric")) {
    in.basis_metric = *basis;
    ModelAccess::basis_metric_index(in) =
        count_metric_ref(p.metrics, in.basis_metric, r.path_of("basis_metric"));
  } else if (per_person) {
    fail_at(r.path_of("basis_metric"),
            "required: a per-person amount multiplies the count of this metric");
  }
  if (const json* when = r.optional("when")) {
    ObjectReader wr(*when, r.path_of("when"));
    in.when = read_condition(wr, p);
    wr.done();
    if (in.when->use_target) {
      require_targets(p, in.when->metric_index(), in.units.unit_indices(), wr.path_of("value"),
                      "but the incentive's units include it");
    }
  } else if (has_tiers) {
    // Tiers without a condition pay by the completion date, as the work fund does.
    if (!p.completion) {
      fail_at(r.path_of("tiers"),
              "tiers without \"when\" pay by the completion date, and the policy has no "
              "\"completion\" section");
    }
    for (std::size_t i = 0; i < p.completion->tasks.size(); ++i) {
      const Condition& c = p.completion->tasks[i];
      if (c.use_target) {
        require_targets(p, c.metric_index(), in.units.unit_indices(),
                        path_key(path_index("completion.tasks", i), "value"),
                        "but " + path + " pays it by its completion date");
      }
    }
  } else if (!per_person) {
    fail_at(r.path_of("per_unit_fen"),
            "a per-unit amount needs \"when\" or \"tiers\": otherwise every unit is paid for "
            "nothing");
  }
  if (r.has("cap_fen")) in.cap = r.fen("cap_fen", 1);
  in.payer = optional_text(r, "payer");
  in.illustrative = r.boolean("illustrative", false);
  in.source = optional_text(r, "source");
  in.note = optional_text(r, "note");
  r.done();
  return in;
}

}  // namespace

std::vector<Incentive> read_incentives(const json& arr, const std::string& path, const Policy& p) {
  if (arr.empty()) fail_at(path, "list at least one incentive, or leave the section out");
  std::vector<Incentive> out;
  UniqueIds ids("incentive");
  bool all_ok = true;
  for (std::size_t i = 0; i < arr.size(); ++i)
    all_ok = guarded([&] {
               out.push_back(read_incentive(arr[i], path_index(path, i), p));
               ids.add(out.back().id, path_key(path_index(path, i), "id"));
             }) &&
             all_ok;
  end_elements(all_ok);
  return out;
}

Costs read_costs(const json& j, const std::string& path, const Policy& p) {
  ObjectReader r(j, path);
  Costs c;
  const json& grades = r.array("grades");
  if (grades.empty()) fail_at(r.path_of("grades"), "list at least one grade");
  for (std::size_t i = 0; i < grades.size(); ++i) {
    ObjectReader gr(grades[i], path_index(r.path_of("grades"), i));
    GradeSubsidy g;
    g.yuan = read_grade_yuan(gr, "yuan");
    g.subsidy = gr.fen("subsidy_fen", 0);
    gr.done();
    if (i > 0 && g.yuan <= c.grades.back().yuan) {
      fail_at(gr.path_of("yuan"), "grades must be strictly increasing: " + std::to_string(g.yuan) +
                                      " is not above grades[" + std::to_string(i - 1) + "].yuan " +
                                      std::to_string(c.grades.back().yuan));
    }
    c.grades.push_back(g);
  }
  if (const json* gp = r.optional_object("government_pays")) {
    ObjectReader gr(*gp, r.path_of("government_pays"));
    GovernmentPays g;
    g.grade_yuan = read_grade_yuan(gr, "grade_yuan");
    require_grade(c, g.grade_yuan, gr.path_of("grade_yuan"));
    g.source = optional_text(gr, "source");
    gr.done();
    c.government_pays = g;
  }
  if (const json* bp = r.optional_object("back_pay")) {
    ObjectReader br(*bp, r.path_of("back_pay"));
    BackPay b;
    b.years = static_cast<int>(br.integer("years", 1, 100));
    b.grade_yuan = read_grade_yuan(br, "grade_yuan");
    require_grade(c, b.grade_yuan, br.path_of("grade_yuan"));
    b.source = optional_text(br, "source");
    br.done();
    c.back_pay = b;
  }
  c.payer = optional_text(r, "payer");
  c.illustrative = r.boolean("illustrative", false);
  c.source = optional_text(r, "source");
  c.note = optional_text(r, "note");
  r.done();
  // Costs price the recommendation tables' schemes and actions per person.
  if (!p.recommendation) {
    fail_at(path,
            "costs are priced per person by the recommendation tables, and the policy has "
            "no \"recommendation\" section");
  }
  require_priced(p, Action::government_pays, c.government_pays.has_value(),
                 r.path_of("government_pays"));
  require_priced(p, Action::back_pay, c.back_pay.has_value(), r.path_of("back_pay"));
  return c;
}

}  // namespace canbao::detail
