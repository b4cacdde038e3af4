// Writers of a CampaignCost (docs/costs.md): text (yuan with two decimals,
// illustrative amounts marked), CSV (one row per money line) and JSON (the
// "costs" op's answer). Row ids only: a roster's ID numbers never appear.
#include <canbao/campaign_cost.hpp>

#include <ostream>

#include <canbao/policy.hpp>

#include "detail/campaign_cost_json.hpp"
#include "detail/csv.hpp"
#include "detail/result_json.hpp"
#include "detail/text_table.hpp"

namespace canbao {

namespace {

// Name first, as the campaign report labels units ("凤麓街道 fenglu").
std::string unit_label(const Policy& policy, int unit) {
  const Unit& u = policy.units.units[static_cast<std::size_t>(unit)];
  return u.name + " " + u.id;
}

using nlohmann::json;

constexpr const char* kIllustrative = "(示例 illustrative)";

json date_or_null(const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); }

const char* amount_key(IncentiveAmount::Kind k) {
  return k == IncentiveAmount::Kind::per_person ? "per_person_fen" : "per_unit_fen";
}

json totals_json(const CostTotals& t) {
  return json{{"persons", t.persons},
              {"subsidised", t.subsidised},
              {"government_paid", t.government_paid},
              {"back_paying", t.back_paying},
              {"grade_unknown", t.grade_unknown},
              {"subsidy_fen", t.subsidy.count()},
              {"government_pays_fen", t.government_pays.count()},
              {"back_pay_fen", t.back_pay.count()}};
}

const std::string& unit_id(const Policy& p, int u) {
  static const std::string none;
  return u < 0 ? none : p.units.units[static_cast<std::size_t>(u)].id;
}

std::string payer_text(const std::string& payer) {
  return payer.empty() ? "(payer not named)" : payer;
}

std::string marked(Fen amount, bool illustrative) {
  return amount.yuan_string() + (illustrative ? std::string(" ") + kIllustrative : "");
}

}  // namespace

namespace detail {

json to_json_value(const CampaignCost& c, const Policy& policy) {
  json incentives = json::array();
  for (const IncentiveResult& r : c.incentives) {
    const Incentive& in = policy.incentives[static_cast<std::size_t>(r.incentive)];
    json payouts = json::array();
    for (const IncentivePayout& p : r.payouts) {
      payouts.push_back({{"unit_id", p.unit_id},
                         {"status", incentive_status_name(p.status)},
                         {"qualified_on", date_or_null(p.qualified_on)},
                         {"tier", p.tier < 0 ? json(nullptr) : json(p.tier + 1)},  // 1-based
                         {"deadline", date_or_null(p.deadline)},
                         {amount_key(p.rate.kind), p.rate.fen.count()},
                         {"basis", p.basis},
                         {"basis_on", p.basis_on.iso()},
                         {"uncapped_fen", p.uncapped.count()},
                         {"amount_fen", p.amount.count()},
                         {"capped", p.capped}});
    }
    incentives.push_back({{"id", r.incentive_id},
                          {"name", in.name},
                          {"basis_metric", in.basis_metric},
                          {"payer", r.payer},
                          {"illustrative", r.illustrative},
                          {"total_fen", r.total.count()},
                          {"payouts", std::move(payouts)}});
  }
  json payers = json::array();
  for (const PayerCost& p : c.payers) {
    payers.push_back(
        {{"payer", p.payer}, {"amount_fen", p.amount.count()}, {"illustrative", p.illustrative}});
  }
  json out{{"as_of", c.as_of.iso()},
           {"format_version", 1},
           {"total_fen", c.total.count()},
           {"work_fund_fen", c.work_fund_total.count()},
           {"incentives_fen", c.incentives_total.count()},
           {"subsidy_fen", c.subsidy_total.count()},
           {"government_pays_fen", c.government_pays_total.count()},
           {"back_pay_collected_fen", c.back_pay_collected.count()},
           {"illustrative", c.illustrative},
           {"payers", std::move(payers)},
           {"work_fund", c.work_fund ? to_json_value(*c.work_fund, c.as_of) : json(nullptr)},
           {"incentives", std::move(incentives)}};
  if (c.has_persons) {
    json persons = json::array();
    for (const PersonCostRow& p : c.persons) {
      json pj{{"row_id", p.row_id},
              {"line", p.line},
              {"scheme", scheme_name(p.scheme)},
              {"actions", actions_text(p.actions)},
              {"subsidy_basis", subsidy_basis_name(p.cost.basis)},
              {"grade_yuan", p.cost.grade_yuan},
              {"subsidy_fen", p.cost.subsidy.count()},
              {"government_pays_fen", p.cost.government_pays.count()},
              {"back_pay_fen", p.cost.back_pay.count()}};
      if (!c.units.empty())
        pj["unit_id"] = p.unit < 0 ? json(nullptr) : json(unit_id(policy, p.unit));
      persons.push_back(std::move(pj));
    }
    out["persons"] = std::move(persons);
    out["person_totals"] = totals_json(c.person_totals);
  }
  if (!c.units.empty()) {
    json units = json::array();
    for (const UnitCost& u : c.units) {
      units.push_back(
          {{"unit_id", u.unit_id}, {"own", totals_json(u.own)}, {"total", totals_json(u.total)}});
    }
    out["units"] = std::move(units);
  }
  return out;
}

}  // namespace detail

void write_campaign_cost_json(const CampaignCost& cost, const Policy& policy, std::ostream& out,
                              int indent) {
  detail::write_json_value(detail::to_json_value(cost, policy), out, indent);
}

void write_campaign_cost_text(const CampaignCost& c, const Policy& policy, std::ostream& out) {
  out << "Campaign cost as of " << c.as_of.iso() << " (yuan)\n";
  const bool costs_illustrative = policy.costs && policy.costs->illustrative;
  detail::TextTable totals({false, true});
  if (c.work_fund) totals.row({"work fund 工作经费", c.work_fund_total.yuan_string()});
  for (const IncentiveResult& r : c.incentives)
    totals.row({"incentive " + r.incentive_id, marked(r.total, r.illustrative)});
  if (c.has_persons) {
    totals.row({"subsidies per year 缴费补贴", marked(c.subsidy_total, costs_illustrative)});
    totals.row({"代缴 per year", marked(c.government_pays_total, costs_illustrative)});
  }
  totals.rule();
  totals.row({"total cost", marked(c.total, c.illustrative)});
  if (c.has_persons)
    totals.row({"补缴 collected (not a cost)", marked(c.back_pay_collected, costs_illustrative)});
  totals.print_trimmed(out);
  if (!c.payers.empty()) {
    out << "\nBy payer\n";
    detail::TextTable payers({false, true});
    for (const PayerCost& p : c.payers)
      payers.row({payer_text(p.payer), marked(p.amount, p.illustrative)});
    payers.print_trimmed(out);
  }
  for (const IncentiveResult& r : c.incentives) {
    const Incentive& in = policy.incentives[static_cast<std::size_t>(r.incentive)];
    out << "\nIncentive " << r.incentive_id << " " << in.name
        << (r.illustrative ? std::string(" ") + kIllustrative : "") << "\n";
    detail::TextTable t({false, false, false, false, true, true, true, false});
    t.header({"unit", "status", "qualified_on", "tier", "basis", "rate", "amount", "capped"});
    t.rule();
    for (const IncentivePayout& p : r.payouts) {
      t.row({unit_label(policy, p.unit), incentive_status_name(p.status),
             p.qualified_on ? p.qualified_on->iso() : "-",
             p.tier < 0 ? "-" : std::to_string(p.tier + 1), std::to_string(p.basis),
             p.rate.fen.yuan_string() +
                 (p.rate.kind == IncentiveAmount::Kind::per_person ? "/person" : "/unit"),
             p.amount.yuan_string(), p.capped ? "capped" : ""});
    }
    t.rule();
    t.row({"total", "", "", "", "", "", r.total.yuan_string(), ""});
    t.print_trimmed(out);
  }
  if (c.has_persons) {
    const CostTotals& t = c.person_totals;
    out << "\nPersons: " << t.persons << " (subsidised " << t.subsidised << ", 代缴 "
        << t.government_paid << ", 补缴 " << t.back_paying << ", grade unknown " << t.grade_unknown
        << ")\n";
  }
  if (!c.units.empty()) {
    out << "\nPer unit (this unit and the units below it)\n";
    detail::TextTable t({false, true, true, true, true});
    t.header({"unit", "persons", "subsidy", "代缴", "补缴 collected"});
    t.rule();
    for (const UnitCost& u : c.units) {
      // Name first, as the campaign report labels units.
      t.row({unit_label(policy, u.unit), std::to_string(u.total.persons),
             u.total.subsidy.yuan_string(), u.total.government_pays.yuan_string(),
             u.total.back_pay.yuan_string()});
    }
    t.print_trimmed(out);
  }
}

void write_campaign_cost_csv(const CampaignCost& c, const Policy& policy, std::ostream& out) {
  out << "item,unit_id,row_id,status,grade_yuan,basis,amount_fen,collected_fen,payer,"
         "illustrative\n";
  const auto row = [&out](const std::string& item, const std::string& unit,
                          const std::string& row_id, const std::string& status,
                          const std::string& grade, const std::string& basis, Fen amount,
                          Fen collected, const std::string& payer, bool illustrative) {
    out << detail::csv_escape(item) << ',' << detail::csv_escape(unit) << ','
        << detail::csv_escape(row_id) << ',' << status << ',' << grade << ',' << basis << ','
        << amount.count() << ',' << collected.count() << ',' << detail::csv_escape(payer) << ','
        << (illustrative ? "true" : "false") << '\n';
  };
  if (c.work_fund) {
    for (const WorkFundPayout& p : c.work_fund->payouts) {
      row("work_fund", p.unit_id, "", work_fund_status_name(p.status), "", std::to_string(p.basis),
          p.amount, Fen(0), c.work_fund->payer, false);
    }
  }
  for (const IncentiveResult& r : c.incentives) {
    for (const IncentivePayout& p : r.payouts) {
      row("incentive:" + r.incentive_id, p.unit_id, "", incentive_status_name(p.status), "",
          std::to_string(p.basis), p.amount, Fen(0), r.payer, r.illustrative);
    }
  }
  const bool costs_illustrative = policy.costs && policy.costs->illustrative;
  const std::string costs_payer = policy.costs ? policy.costs->payer : "";
  for (const PersonCostRow& p : c.persons) {
    row("person", unit_id(policy, p.unit), p.row_id, subsidy_basis_name(p.cost.basis),
        std::to_string(p.cost.grade_yuan), "", p.cost.cost(), p.cost.back_pay, costs_payer,
        costs_illustrative);
  }
  for (const PayerCost& p : c.payers)
    row("payer", "", "", "", "", "", p.amount, Fen(0), p.payer, p.illustrative);
  row("total", "", "", "", "", "", c.total, c.back_pay_collected, "", c.illustrative);
}

}  // namespace canbao
