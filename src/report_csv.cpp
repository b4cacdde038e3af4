// CSV writers for work-fund payouts and scores (spreadsheets are where town
// offices do this work today). Formatting only: figures come from the results,
// names from the policy.
#include <canbao/report.hpp>

#include <charconv>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <canbao/policy.hpp>

#include "detail/csv.hpp"

namespace canbao {
namespace {

const std::string& unit_name(const Policy& p, int unit) {
  return p.units.units[static_cast<std::size_t>(unit)].name;
}
std::string date_or_empty(const std::optional<Date>& d) { return d ? d->iso() : std::string(); }
std::string ratio_or_empty(const std::optional<Ratio>& r) {
  return r ? r->decimal_string() : std::string();
}

// Rows as detail::write_csv_row writes them (csv_escape's quoting), built in
// one buffer written every 64 KB: a national payouts file has 700,000 rows,
// and a std::string per field and a stream insertion per cell cost more than
// the evaluation.
class RowBuffer {
 public:
  explicit RowBuffer(std::ostream& out) : out_(out) {}
  void text(std::string_view field) {
    separate();
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
      buf_.append(field);
      return;
    }
    buf_ += '"';
    for (char c : field) {
      if (c == '"') buf_ += '"';
      buf_ += c;
    }
    buf_ += '"';
  }
  void integer(std::int64_t v) {
    separate();
    char digits[24];
    const auto r = std::to_chars(digits, digits + sizeof digits, v);
    buf_.append(digits, static_cast<std::size_t>(r.ptr - digits));
  }
  void date(const std::optional<Date>& d) {
    separate();
    if (!d) return;
    const YearMonthDay v = d->ymd();
    char text[48];
    const int n = std::snprintf(text, sizeof text, "%04d-%02d-%02d", v.year, v.month, v.day);
    buf_.append(text, static_cast<std::size_t>(n));  // Date::iso's format
  }
  void yuan(Fen f) {
    separate();
    const std::int64_t fen = f.count();
    const bool negative = fen < 0;  // Fen::yuan_string's form, without its string
    const std::uint64_t m = negative ? std::uint64_t(0) - static_cast<std::uint64_t>(fen)
                                     : static_cast<std::uint64_t>(fen);
    if (negative) buf_ += '-';
    char digits[24];
    const auto r = std::to_chars(digits, digits + sizeof digits, m / 100);
    buf_.append(digits, static_cast<std::size_t>(r.ptr - digits));
    buf_ += '.';
    buf_ += static_cast<char>('0' + m % 100 / 10);
    buf_ += static_cast<char>('0' + m % 10);
  }
  void end_row() {
    buf_ += '\n';
    first_ = true;
    if (buf_.size() >= (1u << 16)) flush();
  }
  void flush() {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }

 private:
  void separate() {
    if (!first_) buf_ += ',';
    first_ = false;
  }
  std::ostream& out_;
  std::string buf_;
  bool first_ = true;
};

}  // namespace

void write_payouts_csv(const WorkFundResult& wf, const Policy& p, std::ostream& out) {
  detail::write_csv_row(out, {"unit_id", "name", "completed_on", "status", "tier", "deadline",
                              "per_person_yuan", "basis", "basis_on", "amount_yuan", "amount_fen"});
  RowBuffer row(out);
  for (const WorkFundPayout& pay : wf.payouts) {
    row.text(pay.unit_id);
    row.text(unit_name(p, pay.unit));
    row.date(pay.completed_on);
    row.text(work_fund_status_name(pay.status));
    if (pay.tier < 0) {
      row.text("");
    } else {
      row.integer(pay.tier + 1);
    }
    row.date(pay.deadline);
    row.yuan(pay.per_person);
    row.integer(pay.basis);
    row.date(pay.basis_on);
    row.yuan(pay.amount);
    row.integer(pay.amount.count());
    row.end_row();
  }
  row.flush();
  detail::write_csv_row(out, {"", "合计", "", "", "", "", "", "", "", wf.total.yuan_string(),
                              std::to_string(wf.total.count())});
}

void write_scores_csv(const Ranking& ranking, const Policy& p, std::ostream& out) {
  std::vector<std::string> head = {"rank",         "unit_id",        "name",
                                   "points",       "micro_points",   "grade",
                                   "grade_name",   "grade_by_score", "eligible_for_awards",
                                   "completed_on", "bonus_points"};
  const Scoring* s = p.scoring ? &*p.scoring : nullptr;
  if (s) {
    for (const Indicator& i : s->indicators) {
      head.push_back(i.id + "_completion");
      head.push_back(i.id + "_points");
    }
    for (const Deduction& d : s->deductions) head.push_back(d.id + "_points_deducted");
  }
  head.push_back("missed_targets");
  detail::write_csv_row(out, head);
  for (const UnitScore& u : ranking.units) {
    std::string grade_name;
    if (s) {
      for (const GradeBand& g : s->grades) {
        if (g.grade == u.grade) grade_name = g.name;
      }
    }
    std::vector<std::string> cells = {std::to_string(u.rank),
                                      u.unit_id,
                                      unit_name(p, u.unit),
                                      points_string(u.total_micro_points),
                                      std::to_string(u.total_micro_points),
                                      u.grade,
                                      grade_name,
                                      u.grade_by_score,
                                      u.eligible_for_awards ? "true" : "false",
                                      date_or_empty(u.completed_on),
                                      points_string(u.bonus_micro_points)};
    for (const IndicatorScore& i : u.indicators) {
      cells.push_back(ratio_or_empty(i.completion));
      cells.push_back(points_string(i.micro_points));
    }
    for (const DeductionScore& d : u.deductions) cells.push_back(points_string(d.micro_points));
    std::string missed;
    for (const MissedTarget& m : u.missed_targets)
      missed += (missed.empty() ? "" : ";") + m.metric_id;
    cells.push_back(missed);
    detail::write_csv_row(out, cells);
  }
}

}  // namespace canbao
