// The decision-table model's names and texts, and what a condition means
// for one person (its parts: detail/condition.hpp). Evaluation: recommender.cpp.
#include <canbao/recommendation.hpp>

#include "detail/condition.hpp"

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

bool PersonCondition::matches(const Person& p, const DerivedFacts& f,
                              const std::vector<FactValue>& declared) const {
  using namespace detail;
  for (const FactTest& t : facts) {
    // The evaluators pass every declared value; a caller that passes none
    // for a condition that tests one gets "no match", never a guess.
    if (t.fact < 0 || static_cast<std::size_t>(t.fact) >= declared.size()) return false;
    if (!fact_test_holds(t, declared[static_cast<std::size_t>(t.fact)])) return false;
  }
  return sex_part(*this, p.sex) && hukou_part(*this, p.hukou_local) &&
         status_part(*this, static_cast<int>(p.insurance_status)) &&
         employment_part(*this, static_cast<int>(p.employment)) && flags_part(*this, p.flags) &&
         age_part(*this, f.age) && grade_part(*this, p.resident_grade_yuan) && retirement_part(*this, f);
}

int RecommendationRules::row_count() const {
  int n = 0;
  for (const DecisionTable& t : tables) n += static_cast<int>(t.rows.size()) + (t.otherwise ? 1 : 0);
  return n;
}

}  // namespace canbao
