// Incentive schemes beyond the work fund: money a payer gives units for a
// result, per person of a count metric or per qualifying unit, flat or by
// deadline tiers, with an optional condition and a cap. 001 三 sets 800
// resident -> employee conversions (转职工); a reward per conversion is the
// kind of scheme this models. Amounts no seed states are marked illustrative
// in the policy (docs/policy-format.md "incentives"), never written in code.
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

// Fen per person of the basis count, or fen per qualifying unit.
struct IncentiveAmount {
  enum class Kind { per_person, per_unit };
  Kind kind = Kind::per_person;
  Fen fen;
};

struct IncentiveTier {
  DateSpec deadline;  // inclusive; strictly increasing across tiers
  IncentiveAmount amount;
};

struct Incentive {
  std::string id;
  std::string name;
  Scope units;  // the units that may earn it
  // Count metric the per-person amounts multiply; required when an amount is
  // per person, optional (reported only) when every amount is per unit.
  std::string basis_metric;
  // Exactly one of: a flat amount, or deadline tiers (by the qualifying day).
  std::optional<IncentiveAmount> amount;
  std::vector<IncentiveTier> tiers;
  // The qualifying condition: a unit qualifies on the first day it holds.
  // Without it, tiered schemes qualify on the unit's completion date
  // (Policy::completion) and flat ones always qualify.
  std::optional<Condition> when;
  std::optional<Fen> cap;  // per unit, > 0
  std::string payer;       // 县财政
  bool illustrative = false;
  std::string source;
  std::string note;

  // Resolved at load (read-only: set only by the policy readers); -1 without a basis.
  int basis_metric_index() const { return basis_metric_index_; }

 private:
  friend struct detail::ModelAccess;
  int basis_metric_index_ = -1;
};

}  // namespace canbao
