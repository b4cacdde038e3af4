// The deadline-tiered work fund (000 五(一)): a village that completes its
// resident-pension enrollment and collection task by 2021-09-30 gets 1 yuan per
// insured person, by 2021-10-15 0.8 yuan, by 2021-11-30 0.6 yuan. The sentence
// on late villages is cut off in the source ("按实际参保人..."), so the late rule
// is an explicit policy setting, never a guess in code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <canbao/calendar.hpp>
#include <canbao/milestone.hpp>
#include <canbao/money.hpp>

namespace canbao {

namespace detail {
struct ModelAccess;  // the loader's one way to set computed fields (src/detail/model_access.hpp)
}

struct WorkFundTier {
  DateSpec deadline;  // inclusive; strictly increasing across tiers
  Fen per_person;     // fen per person of the basis count
};

struct LateRule {
  enum class Kind { zero, per_person };
  Kind kind = Kind::zero;
  Fen per_person;  // Kind::per_person
  std::string note;
};

struct WorkFund {
  std::vector<WorkFundTier> tiers;
  Scope paid_units;          // which units are paid (000: villages/communities)
  std::string basis_metric;  // count metric multiplied by the rate (参保人数)
  // The basis count is taken on the unit's completion date, or on a fixed date.
  enum class BasisAsOf { completion_date, fixed_date };
  BasisAsOf basis_as_of = BasisAsOf::completion_date;
  std::optional<DateSpec> basis_date;  // BasisAsOf::fixed_date
  LateRule late;
  std::string payer;  // 县财政
  std::string source;

  // Resolved at load (read-only: set only by the policy readers).
  int basis_metric_index() const { return basis_metric_index_; }

 private:
  friend struct detail::ModelAccess;
  int basis_metric_index_ = -1;
};

}  // namespace canbao
