// The report's per-unit elements are written as text (src/detail/json_text_writer.hpp)
// rather than built as nlohmann DOMs and dumped (issue 15). The text must be
// what the DOM's dump printed: here the DOM builders as they were are the
// reference, element by element, over every example campaign and over
// reports whose elements are mutated at random (optional fields present and
// absent, strings needing escapes, negative and huge numbers, repeated
// segment metrics). The bytes must not depend on the threads formatting them.
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <canbao/canbao.hpp>

#include "detail/result_json.hpp"

namespace {

using namespace canbao;
using nlohmann::json;

// ---- The DOM builders the text writers replaced (result_json.cpp,
// report_action_json.cpp, projection_json.cpp before issue 15's writer).

json date_or_null(const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); }
json ratio_or_null(const std::optional<Ratio>& r) {
  return r ? json(r->decimal_string()) : json(nullptr);
}

json ref_payout(const WorkFundPayout& p) {
  return {{"unit_id", p.unit_id},
          {"completed_on", date_or_null(p.completed_on)},
          {"status", work_fund_status_name(p.status)},
          {"tier", p.tier < 0 ? json(nullptr) : json(p.tier + 1)},
          {"deadline", date_or_null(p.deadline)},
          {"per_person_fen", p.per_person.count()},
          {"basis", p.basis},
          {"basis_on", p.basis_on.iso()},
          {"amount_fen", p.amount.count()}};
}

json ref_unit_score(const UnitScore& u) {
  json indicators = json::array();
  for (const IndicatorScore& i : u.indicators) {
    indicators.push_back({{"id", i.indicator_id},
                          {"value", ratio_or_null(i.value)},
                          {"target", i.target.decimal_string()},
                          {"completion", ratio_or_null(i.completion)},
                          {"points", points_string(i.micro_points)},
                          {"micro_points", i.micro_points}});
  }
  json deductions = json::array();
  for (const DeductionScore& d : u.deductions) {
    deductions.push_back({{"id", d.deduction_id},
                          {"count", d.count},
                          {"points", points_string(d.micro_points)},
                          {"micro_points", d.micro_points}});
  }
  json missed = json::array();
  for (const MissedTarget& m : u.missed_targets) {
    missed.push_back({{"metric", m.metric_id},
                      {"value", ratio_or_null(m.value)},
                      {"target", m.target.decimal_string()}});
  }
  return {{"unit_id", u.unit_id},
          {"rank", u.rank},
          {"points", points_string(u.total_micro_points)},
          {"micro_points", u.total_micro_points},
          {"grade", u.grade.empty() ? json(nullptr) : json(u.grade)},
          {"grade_by_score", u.grade_by_score.empty() ? json(nullptr) : json(u.grade_by_score)},
          {"eligible_for_awards", u.eligible_for_awards},
          {"completed_on", date_or_null(u.completed_on)},
          {"timeliness", u.timeliness < 0 ? json(nullptr) : json(u.timeliness)},
          {"bonus_micro_points", u.bonus_micro_points},
          {"indicators", std::move(indicators)},
          {"deductions", std::move(deductions)},
          {"missed_targets", std::move(missed)}};
}

json ref_milestone_unit(const MilestoneReport& m, std::size_t u) {
  const MilestoneUnitResult& r = m.result.units[u];
  json e = {{"unit_id", r.unit_id},
            {"status", milestone_status_name(r.status)},
            {"met_on", date_or_null(r.met_on)},
            {"reached_on", date_or_null(r.reached_on)}};
  if (u < m.value_on_due.size()) e["value_on_due"] = ratio_or_null(m.value_on_due[u]);
  return e;
}

json ref_completion(const UnitCompletion& c) {
  return {{"unit_id", c.unit_id}, {"completed_on", date_or_null(c.completed_on)}};
}

json ref_segment_unit(const SegmentReport& sr, std::size_t u) {
  json values = json::object();
  for (std::size_t m = 0; m < sr.metrics.size(); ++m)
    values[sr.metric_ids[m]] = ratio_or_null(sr.values[u][m]);
  return {{"unit_id", sr.unit_ids[u]}, {"values", std::move(values)}};
}

json ref_late(const ReportingCheck& c) {
  return {{"due", c.deadline.due.iso()},
          {"covers_until", c.deadline.covers_until.iso()},
          {"unit_id", c.unit_id},
          {"status", submission_status_name(c.status)},
          {"submitted", c.submitted ? json(c.submitted->iso()) : json(nullptr)},
          {"days_late", c.days_late}};
}

json ref_unit_action(const UnitAction& u) {
  json gaps = json::array(), stake = json::array();
  for (const TargetGap& g : u.gaps) {
    gaps.push_back({{"metric", g.metric_id},
                    {"target", g.target.decimal_string()},
                    {"current", ratio_or_null(g.current)},
                    {"shortfall", g.shortfall.decimal_string()},
                    {"status", gap_status_name(g.status)},
                    {"deadline", date_or_null(g.deadline)},
                    {"deadline_kind", gap_deadline_kind_name(g.deadline_kind)},
                    {"deadline_ref", g.deadline_ref},
                    {"days_left", g.deadline ? json(g.days_left) : json(nullptr)},
                    {"needed_per_day", ratio_or_null(g.needed_per_day)}});
  }
  for (const FundAtStake& f : u.at_stake) {
    stake.push_back({{"rule", f.tier < 0 ? "late" : "tier"},
                     {"tier", f.tier < 0 ? json(nullptr) : json(f.tier + 1)},
                     {"deadline", date_or_null(f.deadline)},
                     {"per_person_fen", f.per_person.count()},
                     {"basis", f.basis},
                     {"basis_on", f.basis_on.iso()},
                     {"amount_fen", f.amount.count()}});
  }
  return json{{"unit_id", u.unit_id},
              {"standing", unit_standing_name(u.standing)},
              {"completion", ratio_or_null(u.completion)},
              {"reasons", u.reasons},
              {"targets", std::move(gaps)},
              {"at_stake", std::move(stake)}};
}

json estimate(const std::optional<long double>& v) {
  if (!v) return nullptr;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6Lf", *v);
  std::string s = buf;
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

json ref_fund_unit(const WorkFundUnitProjection& u) {
  const bool known = u.kind != FundProjectionKind::unknown;
  return {{"unit_id", u.unit_id},
          {"kind", fund_projection_kind_name(u.kind)},
          {"completed_on", date_or_null(u.completed_on)},
          {"status", known ? json(work_fund_status_name(u.status)) : json(nullptr)},
          {"tier", u.tier < 0 ? json(nullptr) : json(u.tier + 1)},
          {"deadline", date_or_null(u.deadline)},
          {"per_person_fen", known ? json(u.per_person.count()) : json(nullptr)},
          {"basis", known ? json(u.basis) : json(nullptr)},
          {"basis_on", known ? json(u.basis_on.iso()) : json(nullptr)},
          {"amount_fen", known ? json(u.amount.count()) : json(nullptr)},
          {"reason", known ? json(nullptr) : json(u.reason)}};
}

json ref_projection_unit(const MilestoneUnitProjection& u) {
  return {{"unit_id", u.unit_id},
          {"outlook", outlook_name(u.outlook)},
          {"current", u.current ? json(u.current->decimal_string()) : json(nullptr)},
          {"projected", estimate(u.projected)},
          {"threshold", u.threshold.decimal_string()},
          {"days_left", u.days_left},
          {"needed_per_day", estimate(u.needed_per_day)},
          {"trend_per_day", estimate(u.trend_per_day)},
          {"points", u.points}};
}

// ---- Checks.

std::string report_line(const CampaignReport& r, unsigned threads) {
  std::ostringstream out;
  detail::write_json_streamed(
      [&](detail::JsonHoles* holes) { return detail::to_json_value(r, holes); }, out, -1, threads);
  return out.str();
}

// Every per-unit element of the written report equals the reference DOM's
// dump, and the whole line is nlohmann's own dump of it (keys sorted, escapes).
void expect_elements_as_dom(const CampaignReport& r) {
  const std::string line = report_line(r, 1);
  const json j = json::parse(line);
  ASSERT_EQ(j.dump() + "\n", line);
  EXPECT_EQ(report_line(r, 3), line);
  int checked = 0;
  auto same = [&checked](const json& written, const json& reference) {
    ++checked;
    return written.dump() == reference.dump();
  };
  for (std::size_t i = 0; i < r.completions.size(); ++i)
    ASSERT_TRUE(same(j["completions"][i], ref_completion(r.completions[i]))) << i;
  for (std::size_t m = 0; m < r.milestones.size(); ++m)
    for (std::size_t u = 0; u < r.milestones[m].result.units.size(); ++u)
      ASSERT_TRUE(same(j["milestones"][m]["units"][u], ref_milestone_unit(r.milestones[m], u)))
          << m << " " << u;
  for (std::size_t s = 0; s < r.segments.size(); ++s)
    for (std::size_t u = 0; u < r.segments[s].units.size(); ++u)
      ASSERT_TRUE(same(j["segments"][s]["units"][u], ref_segment_unit(r.segments[s], u)));
  if (r.work_fund) {
    for (std::size_t i = 0; i < r.work_fund->payouts.size(); ++i)
      ASSERT_TRUE(same(j["work_fund"]["payouts"][i], ref_payout(r.work_fund->payouts[i]))) << i;
  }
  if (r.ranking) {
    for (std::size_t i = 0; i < r.ranking->units.size(); ++i)
      ASSERT_TRUE(same(j["scores"]["units"][i], ref_unit_score(r.ranking->units[i]))) << i;
  }
  if (r.projections) {
    for (std::size_t m = 0; m < r.projections->milestones.size(); ++m)
      for (std::size_t u = 0; u < r.projections->milestones[m].units.size(); ++u)
        ASSERT_TRUE(same(j["projections"]["milestones"][m]["units"][u],
                         ref_projection_unit(r.projections->milestones[m].units[u])));
    if (r.projections->work_fund) {
      for (std::size_t i = 0; i < r.projections->work_fund->units.size(); ++i)
        ASSERT_TRUE(same(j["projections"]["work_fund"]["units"][i],
                         ref_fund_unit(r.projections->work_fund->units[i])))
            << i;
    }
  }
  for (std::size_t i = 0; i < r.late_reports.size(); ++i)
    ASSERT_TRUE(same(j["late_reports"][i], ref_late(r.late_reports[i]))) << i;
  for (std::size_t i = 0; i < r.action.units.size(); ++i)
    ASSERT_TRUE(same(j["action"]["units"][i], ref_unit_action(r.action.units[i]))) << i;
  EXPECT_GT(checked, 0);
  // Pretty printing builds the DOM (each element parsed from its text).
  std::ostringstream pretty;
  write_report_json(r, pretty, 2);
  EXPECT_EQ(json::parse(pretty.str()).dump() + "\n", line);
}

struct Example {
  const char* name;
  const char* days[2];
};
const Example kExamples[] = {
    {"000-xx-town-2021", {"2021-07-15", "2021-12-31"}},
    {"001-chengjiang-2021", {"2021-06-30", "2021-12-31"}},
    {"003-hengyang", {"2021-06-30", "2021-12-31"}},
    {"004-shiyan-2023", {"2023-06-30", "2023-12-31"}},
};

CampaignReport example_report(const Example& e, const char* day) {
  const std::string dir = std::string(CANBAO_SOURCE_DIR) + "/examples/";
  const PolicyPtr policy = load_policy_file(dir + "policies/" + e.name + ".json");
  const Progress progress = read_progress_csv_file(policy, dir + "progress/" + e.name + ".csv");
  return make_report(progress, *parse_iso_date(day));
}

TEST(ReportJsonWriter, ElementsEqualTheDomForEveryExample) {
  for (const Example& e : kExamples) {
    for (const char* day : e.days) {
      SCOPED_TRACE(std::string(e.name) + " as of " + day);
      expect_elements_as_dom(example_report(e, day));
    }
  }
}

// ---- Random mutations of real reports.

class Mutator {
 public:
  explicit Mutator(unsigned seed) : rng_(seed) {}
  bool coin(int percent = 30) { return std::uniform_int_distribution<int>(0, 99)(rng_) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng_)];
  }
  std::string text() {
    static const std::vector<std::string> pool = {"",
                                                  "v1",
                                                  "a\"b",
                                                  "back\\slash",
                                                  "ctl\x01\x1f\x7f",
                                                  "tab\t\n\r\b\f",
                                                  "/slash/",
                                                  "\xE6\x9D\x91\xE5\xA7\x94\xE4\xBC\x9A",
                                                  "\xE2\x80\xA8line-sep",
                                                  "x\x05y\x0b"};
    return pick(pool);
  }
  std::int64_t number() {
    static const std::vector<std::int64_t> pool = {0,
                                                   1,
                                                   -1,
                                                   -987654321,
                                                   123456789012345,
                                                   std::numeric_limits<std::int64_t>::max(),
                                                   std::numeric_limits<std::int64_t>::min()};
    return pick(pool);
  }
  int small() { return std::uniform_int_distribution<int>(-3, 5)(rng_); }
  Date date() {
    static const std::vector<Date> pool = {
        *parse_iso_date("2021-01-01"), *parse_iso_date("2021-12-31"), *parse_iso_date("1999-02-28"),
        *parse_iso_date("2030-07-04")};
    return pick(pool);
  }
  void maybe(std::optional<Date>& d) {
    if (coin()) d = coin(50) ? std::optional<Date>() : std::optional<Date>(date());
  }
  Ratio ratio() {
    static const std::vector<Ratio> pool = {Ratio(0), Ratio(-7, 3), Ratio(2, 3),
                                            Ratio(123456789, 1000), Ratio(1, 1000000000)};
    return pick(pool);
  }
  void maybe(std::optional<Ratio>& r) {
    if (coin()) r = coin(50) ? std::optional<Ratio>() : std::optional<Ratio>(ratio());
  }
  void maybe(std::optional<long double>& v) {
    static const std::vector<long double> pool = {0.0L, -0.0000001L, 2.0L / 3, 1e12L, -12.5L};
    if (coin())
      v = coin(50) ? std::optional<long double>() : std::optional<long double>(pick(pool));
  }
  void maybe(std::string& s) {
    if (coin()) s = text();
  }
  void maybe(std::int64_t& n) {
    if (coin()) n = number();
  }
  void maybe(std::int32_t& n) {
    if (coin()) n = small() * 1000;
  }
  void maybe(Fen& f) {
    if (coin()) f = Fen(number());
  }
  void maybe(Ratio& r) {
    if (coin()) r = ratio();
  }

 private:
  std::mt19937 rng_;
};

void mutate(CampaignReport& r, Mutator& m) {
  for (UnitCompletion& c : r.completions) {
    m.maybe(c.unit_id);
    m.maybe(c.completed_on);
  }
  for (MilestoneReport& mr : r.milestones) {
    for (MilestoneUnitResult& u : mr.result.units) {
      m.maybe(u.unit_id);
      m.maybe(u.met_on);
      m.maybe(u.reached_on);
    }
    for (std::optional<Ratio>& v : mr.value_on_due) m.maybe(v);
    if (m.coin(50) && !mr.value_on_due.empty())
      mr.value_on_due.pop_back();  // not beside every unit
  }
  for (SegmentReport& s : r.segments) {
    for (std::string& id : s.unit_ids) m.maybe(id);
    for (auto& row : s.values)
      for (std::optional<Ratio>& v : row) m.maybe(v);
    if (s.metric_ids.size() >= 2) s.metric_ids[0] = s.metric_ids[1];  // a repeated key: last wins
    if (!s.metric_ids.empty()) s.metric_ids.back() = m.text() + "\x7f";
  }
  if (r.work_fund) {
    for (WorkFundPayout& p : r.work_fund->payouts) {
      m.maybe(p.unit_id);
      m.maybe(p.completed_on);
      m.maybe(p.deadline);
      if (m.coin()) p.tier = m.small();
      m.maybe(p.per_person);
      m.maybe(p.amount);
      m.maybe(p.basis);
    }
  }
  if (r.ranking) {
    for (UnitScore& u : r.ranking->units) {
      m.maybe(u.unit_id);
      m.maybe(u.completed_on);
      m.maybe(u.grade);
      m.maybe(u.grade_by_score);
      m.maybe(u.total_micro_points);
      m.maybe(u.bonus_micro_points);
      if (m.coin()) u.timeliness = m.small();
      if (m.coin()) u.rank = m.small();
      if (m.coin()) u.eligible_for_awards = !u.eligible_for_awards;
      for (IndicatorScore& i : u.indicators) {
        m.maybe(i.indicator_id);
        m.maybe(i.value);
        m.maybe(i.completion);
        m.maybe(i.target);
        m.maybe(i.micro_points);
      }
      u.deductions.push_back({0, m.text(), m.number(), m.number() / 7});
      if (m.coin(50)) u.deductions.clear();
      u.missed_targets.push_back({0, m.text(), std::nullopt, m.ratio()});
      for (MissedTarget& t : u.missed_targets) m.maybe(t.value);
      if (m.coin(30)) u.missed_targets.clear();
    }
  }
  if (r.projections) {
    for (MilestoneProjection& mp : r.projections->milestones) {
      for (MilestoneUnitProjection& u : mp.units) {
        m.maybe(u.unit_id);
        m.maybe(u.current);
        m.maybe(u.projected);
        m.maybe(u.needed_per_day);
        m.maybe(u.trend_per_day);
        m.maybe(u.threshold);
        m.maybe(u.days_left);
        if (m.coin()) u.points = m.small();
      }
    }
    if (r.projections->work_fund) {
      for (WorkFundUnitProjection& u : r.projections->work_fund->units) {
        m.maybe(u.unit_id);
        m.maybe(u.completed_on);
        m.maybe(u.deadline);
        m.maybe(u.reason);
        m.maybe(u.amount);
        m.maybe(u.per_person);
        m.maybe(u.basis);
        if (m.coin()) u.tier = m.small();
        if (m.coin())
          u.kind = m.coin(50) ? FundProjectionKind::unknown : FundProjectionKind::actual;
      }
    }
  }
  for (ReportingCheck& c : r.late_reports) {
    m.maybe(c.unit_id);
    m.maybe(c.submitted);
    m.maybe(c.days_late);
  }
  for (UnitAction& u : r.action.units) {
    m.maybe(u.unit_id);
    m.maybe(u.completion);
    u.reasons.push_back(m.text());
    if (m.coin(30)) u.reasons.clear();
    for (TargetGap& g : u.gaps) {
      m.maybe(g.metric_id);
      m.maybe(g.current);
      m.maybe(g.needed_per_day);
      m.maybe(g.deadline);
      m.maybe(g.deadline_ref);
      m.maybe(g.days_left);
      m.maybe(g.shortfall);
    }
    for (FundAtStake& f : u.at_stake) {
      m.maybe(f.deadline);
      m.maybe(f.amount);
      m.maybe(f.basis);
      if (m.coin()) f.tier = m.small();
    }
  }
}

// Each per-unit array grown to `n` elements (copies), so the writer cuts it
// into several parts.
template <class T>
void grow(std::vector<T>& v, std::size_t n) {
  if (v.empty()) return;
  const std::size_t had = v.size();
  while (v.size() < n) v.push_back(T(v[v.size() % had]));
}

TEST(ReportJsonWriter, RandomElementsEqualTheDom) {
  int reports = 0;
  unsigned seed = 1;
  for (const Example& e : kExamples) {
    const CampaignReport base = example_report(e, e.days[1]);
    for (int round = 0; round < 5; ++round, ++seed) {
      SCOPED_TRACE(std::string(e.name) + " seed " + std::to_string(seed));
      CampaignReport r = base;
      Mutator m(seed);
      mutate(r, m);
      expect_elements_as_dom(r);
      ++reports;
    }
  }
  EXPECT_EQ(reports, 20);
}

// A national-sized array is formatted in parts on several threads: the bytes
// are those of one thread (and of the reference DOM).
TEST(ReportJsonWriter, ManyUnitsSameBytesOnAnyThreadCount) {
  CampaignReport r = example_report(kExamples[0], kExamples[0].days[1]);
  Mutator m(99);
  mutate(r, m);
  const std::size_t n = 9000;  // several parts of 4096 elements (report_json_stream.cpp)
  grow(r.completions, n);
  grow(r.action.units, n);
  if (r.work_fund) grow(r.work_fund->payouts, n);
  if (r.ranking) grow(r.ranking->units, n);
  const std::string one = report_line(r, 1);
  for (unsigned threads : {2u, 3u, 8u}) EXPECT_EQ(report_line(r, threads), one) << threads;
  expect_elements_as_dom(r);
  EXPECT_EQ(json::parse(one)["completions"].size(), n);
}

}  // namespace
