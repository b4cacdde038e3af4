// Incentives per unit as of a day (docs/costs.md): the qualifying day, the
// tier it meets, the basis count, the amount and its cap. Pure: reads only
// observations on or before as_of.
#include <canbao/campaign_cost.hpp>

#include <canbao/error.hpp>
#include <canbao/policy.hpp>

namespace canbao {

namespace {

std::string place(std::size_t i) { return "incentives[" + std::to_string(i) + "]"; }

Fen times(Fen rate, std::int64_t count, std::size_t i, const std::string& unit_id) {
  std::int64_t r;
  if (__builtin_mul_overflow(rate.count(), count, &r)) {
    throw OverflowError(place(i), "unit \"" + unit_id + "\": " + std::to_string(rate.count()) +
                                      " fen x " + std::to_string(count) +
                                      " persons overflows int64 fen");
  }
  return Fen(r);
}

// The day a unit qualifies: `when`'s first day; without it, the completion
// date for tiers (as the work fund pays); flat schemes without `when` always
// qualify (nothing here, `always` set).
std::optional<Date> qualifying_day(const Progress& progress, const Incentive& in, int unit,
                                   Date as_of, bool* always) {
  *always = false;
  if (in.when) return first_day_holding(progress, unit, {*in.when}, as_of);
  if (!in.tiers.empty()) {
    const Policy& p = progress.policy();
    if (!p.completion) throw PolicyError("completion", "tiers without \"when\" need completion");
    return first_day_holding(progress, unit, p.completion->tasks, as_of);
  }
  *always = true;
  return std::nullopt;
}

}  // namespace

const char* incentive_status_name(IncentiveStatus s) {
  switch (s) {
    case IncentiveStatus::qualified:
      return "qualified";
    case IncentiveStatus::late:
      return "late";
    case IncentiveStatus::not_qualified:
      return "not_qualified";
  }
  return "?";
}

std::vector<IncentiveResult> evaluate_incentives(const Progress& progress, Date as_of) {
  const Policy& p = progress.policy();
  std::vector<IncentiveResult> out;
  for (std::size_t i = 0; i < p.incentives.size(); ++i) {
    const Incentive& in = p.incentives[i];
    IncentiveResult r;
    r.incentive = static_cast<int>(i);
    r.incentive_id = in.id;
    r.payer = in.payer;
    r.illustrative = in.illustrative;
    for (int u : scope_units(p, in.units)) {
      IncentivePayout pay;
      pay.unit = u;
      pay.unit_id = p.units.units[static_cast<std::size_t>(u)].id;
      bool always = false;
      pay.qualified_on = qualifying_day(progress, in, u, as_of, &always);
      pay.rate.kind = in.amount ? in.amount->kind : in.tiers.front().amount.kind;
      if (!in.tiers.empty()) {
        if (pay.qualified_on) {
          // Like 000's work fund: the first tier whose (inclusive) deadline the day meets.
          for (std::size_t t = 0; t < in.tiers.size(); ++t) {
            if (*pay.qualified_on <= in.tiers[t].deadline.date) {
              pay.status = IncentiveStatus::qualified;
              pay.tier = static_cast<int>(t);
              pay.deadline = in.tiers[t].deadline.date;
              pay.rate = in.tiers[t].amount;
              break;
            }
          }
          if (pay.tier < 0) pay.status = IncentiveStatus::late;
        } else {
          pay.status = as_of >= in.tiers.back().deadline.date ? IncentiveStatus::late
                                                              : IncentiveStatus::not_qualified;
        }
        pay.basis_on = pay.qualified_on ? *pay.qualified_on : as_of;
      } else {
        if (always || pay.qualified_on) {
          pay.status = IncentiveStatus::qualified;
          pay.rate = *in.amount;
        }
        pay.basis_on = as_of;
      }
      if (in.basis_metric_index() >= 0)
        pay.basis = progress.count(u, in.basis_metric_index(), pay.basis_on);
      if (pay.status == IncentiveStatus::qualified) {
        pay.uncapped = pay.rate.kind == IncentiveAmount::Kind::per_person
                           ? times(pay.rate.fen, pay.basis, i, pay.unit_id)
                           : pay.rate.fen;
        pay.capped = in.cap && pay.uncapped > *in.cap;
        pay.amount = pay.capped ? *in.cap : pay.uncapped;
      }
      std::int64_t total;
      if (__builtin_add_overflow(r.total.count(), pay.amount.count(), &total)) {
        throw OverflowError(place(i), "total overflows int64 fen when adding unit \"" +
                                          pay.unit_id + "\" (" + pay.amount.yuan_string() +
                                          " yuan)");
      }
      r.total = Fen(total);
      r.payouts.push_back(std::move(pay));
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace canbao
