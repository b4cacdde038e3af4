// The straightforward evaluation of decision tables for one person: every
// row's condition is checked against the person's facts and the derived facts
// of the as-of date. batch.cpp must give the same answers from cut-offs.
#include <canbao/recommendation.hpp>

#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/retirement.hpp>

namespace canbao {

namespace {
constexpr const char* kSchemeNames[] = {"none", "employee", "resident"};
constexpr const char* kActionNames[kActionCount] = {
    "enroll_employee", "enroll_resident", "convert_to_employee", "back_pay",
    "government_pays", "transfer_in",     "resume_payment",      "raise_grade"};

std::string join_reasons(const std::vector<FiredRow>& trace, bool zh) {
  std::string out;
  for (const FiredRow& f : trace) {
    const std::string& r = zh ? f.rule->reason.zh : f.rule->reason.en;
    if (r.empty()) continue;
    if (!out.empty()) out += zh ? "；" : "; ";
    out += r;
  }
  return out;
}

bool in_set(std::uint16_t set, int value) { return set == 0 || ((set >> value) & 1u) != 0; }
}  // namespace

const char* scheme_name(Scheme s) noexcept {
  const int i = static_cast<int>(s);
  return i < 3 ? kSchemeNames[i] : "?";
}
std::optional<Scheme> parse_scheme(std::string_view text) noexcept {
  for (int i = 0; i < 3; ++i) {
    if (text == kSchemeNames[i]) return static_cast<Scheme>(i);
  }
  return std::nullopt;
}
const char* action_name(Action a) noexcept {
  const int i = static_cast<int>(a);
  return i < kActionCount ? kActionNames[i] : "?";
}
std::optional<Action> parse_action(std::string_view text) noexcept {
  for (int i = 0; i < kActionCount; ++i) {
    if (text == kActionNames[i]) return static_cast<Action>(i);
  }
  return std::nullopt;
}
std::string actions_text(ActionSet actions) {
  std::string out;
  for (int i = 0; i < kActionCount; ++i) {
    if (actions & (1u << i)) out += (out.empty() ? "" : ";") + std::string(kActionNames[i]);
  }
  return out;
}
std::optional<int> parse_group(std::string_view text) noexcept {
  if (text.size() == 2 && text[0] == 'g' && text[1] >= '1' && text[1] <= '8') return text[1] - '0';
  return std::nullopt;
}
std::string groups_text(GroupSet groups) {
  std::string out;
  for (int g = 1; g <= kGroupCount; ++g) {
    if (groups & (1u << (g - 1))) out += (out.empty() ? "g" : ";g") + std::to_string(g);
  }
  return out;
}

std::string Recommendation::reason_zh() const { return join_reasons(trace, true); }
std::string Recommendation::reason_en() const { return join_reasons(trace, false); }

bool PersonCondition::matches(const Person& p, const DerivedFacts& f) const {
  if (sex && *sex != p.sex) return false;
  if (hukou_local && *hukou_local != p.hukou_local) return false;
  if (!in_set(insurance_status, static_cast<int>(p.insurance_status))) return false;
  if (!in_set(employment, static_cast<int>(p.employment))) return false;
  if (flags_any && (p.flags & flags_any) == 0) return false;
  if (p.flags & flags_none) return false;
  if (age && !age->contains(f.age)) return false;
  if (resident_grade_yuan && !resident_grade_yuan->contains(p.resident_grade_yuan)) return false;
  if (years_to_retirement && !years_to_retirement->contains(f.years_to_retirement)) return false;
  if (contributable_years_ge_minimum &&
      *contributable_years_ge_minimum != f.contributable_years_ge_minimum()) {
    return false;
  }
  return true;
}

RecommendationTables::RecommendationTables(std::vector<DecisionTable> tables,
                                           int female_original_retirement_age)
    : tables_(std::move(tables)), female_age_(female_original_retirement_age) {
  if (female_age_ != 50 && female_age_ != 55) {
    throw ArgumentError("female_original_retirement_age", "must be 50 or 55");
  }
  auto note_retirement = [&](const PersonCondition& c) {
    if (c.years_to_retirement || c.contributable_years_ge_minimum) uses_retirement_ = true;
  };
  for (std::size_t t = 0; t < tables_.size(); ++t) {
    note_retirement(tables_[t].when);
    for (std::size_t r = 0; r < tables_[t].rows.size(); ++r) {
      rows_.push_back(RowRef{static_cast<int>(t), static_cast<int>(r), &tables_[t].rows[r]});
      note_retirement(tables_[t].rows[r].when);
    }
    if (tables_[t].otherwise) {
      rows_.push_back(RowRef{static_cast<int>(t), -1, &*tables_[t].otherwise});
      note_retirement(tables_[t].otherwise->when);
    }
  }
  if (static_cast<int>(rows_.size()) > kMaxRows) {
    throw ArgumentError("tables", std::to_string(rows_.size()) +
                                      " rows in all (counting otherwise rows), at most " +
                                      std::to_string(kMaxRows) +
                                      " are supported: fired_rows keeps one bit per row");
  }
}

DerivedFacts RecommendationTables::derive(const Person& person, Date as_of) const {
  if (!is_supported_date(as_of)) throw ArgumentError("as_of", unsupported_date_message(as_of));
  if (person.birth_date > as_of) {
    throw InputError("birth_date",
                     person.birth_date.iso() + " is after the as-of date " + as_of.iso());
  }
  // The retirement schedule covers births 1900..2200 (retirement.cpp); the
  // batch path takes the same range (batch.cpp).
  if (person.birth_date < *Date::from_ymd(1900, 1, 1)) {
    throw InputError("birth_date", person.birth_date.iso() + " is before 1900-01-01");
  }
  if (person.birth_date > *Date::from_ymd(2200, 12, 31)) {
    throw InputError("birth_date", person.birth_date.iso() +
                                       " is after 2200-12-31, the last supported birth date");
  }
  DerivedFacts f;
  f.age = age_on(person.birth_date, as_of);
  const YearMonthDay b = person.birth_date.ymd();
  const int original = person.sex == Sex::male ? 60 : female_age_;
  const RetirementSchedule s =
      statutory_retirement(person.sex, YearMonth{b.year, b.month}, original);
  f.retirement_date = s.retirement_date;
  f.minimum_months = s.minimum_contribution_months;
  // Whole years from as_of to the retirement date, floored (negative after it).
  f.years_to_retirement = age_on(as_of, f.retirement_date);
  if (f.retirement_date > as_of) {
    const YearMonthDay a = as_of.ymd(), r = f.retirement_date.ymd();
    f.contributable_months =
        (r.year * 12 + r.month) - (a.year * 12 + a.month) - (r.day < a.day ? 1 : 0);
  }
  return f;
}

Recommendation RecommendationTables::evaluate(const Person& person, Date as_of) const {
  Recommendation out;
  out.facts = derive(person, as_of);
  int bit = 0;
  for (std::size_t t = 0; t < tables_.size(); ++t) {
    const DecisionTable& table = tables_[t];
    const bool guard = table.when.matches(person, out.facts);
    bool any = false;
    for (std::size_t r = 0; r < table.rows.size(); ++r, ++bit) {
      if (any && table.hit == HitPolicy::first) continue;
      if (!guard || !table.rows[r].when.matches(person, out.facts)) continue;
      any = true;
      out.trace.push_back(FiredRow{static_cast<int>(t), static_cast<int>(r), bit, &table.rows[r]});
    }
    if (table.otherwise) {
      if (!any && guard && table.otherwise->when.matches(person, out.facts)) {
        out.trace.push_back(FiredRow{static_cast<int>(t), -1, bit, &*table.otherwise});
      }
      ++bit;
    }
  }
  for (const FiredRow& f : out.trace) {
    const Outcome& o = f.rule->then;
    if (o.scheme) out.scheme = *o.scheme;  // one table decides the scheme (checked at load)
    out.actions |= o.actions;
    out.groups |= o.groups;
    out.fired_rows |= std::uint64_t{1} << f.bit;
  }
  return out;
}

Recommendation recommend(const Policy& policy, const Person& person, Date as_of) {
  if (!policy.recommendation) {
    throw ArgumentError("policy", "the policy has no recommendation section");
  }
  return policy.recommendation->evaluate(person, as_of);
}

}  // namespace canbao
