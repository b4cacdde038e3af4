// The pieces of a roster CSV output row (docs/roster.md), written once and
// shared by write_roster_csv (RosterPerson objects) and recommend_roster_csv
// (columns, issue 15): the two give the same bytes because they write with
// these.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include <canbao/date.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/roster.hpp>

namespace canbao {
class Recommender;
}  // namespace canbao

namespace canbao::detail {

// A cell written back (the row id, an extra column), escaped, with its
// ID-like digit runs masked; without a copy when it has no run of 15 digits
// or more and nothing to escape.
void append_roster_cell(std::string& out, std::string_view v);

// The reason codes and texts of each set of fired rows, built once per
// distinct set (a roster has few) and found by the set's words.
class ReasonCache {
 public:
  explicit ReasonCache(const Recommender& r);
  // "scheme.3;actions.0": the fired rows' codes, joined by ';' in row order.
  const std::string& codes(const std::uint64_t* fired);
  // The texts joined ("；" in Chinese, "; " in English), as they are.
  const std::string& zh(const std::uint64_t* fired) { return get(fired).zh; }
  const std::string& en(const std::uint64_t* fired) { return get(fired).en; }
  // The same as two CSV fields: escaped, joined by a comma.
  const std::string& csv_texts(const std::uint64_t* fired) { return get(fired).csv; }

 private:
  struct Entry {
    bool has_codes = false, has_texts = false;
    std::string codes, zh, en, csv;
  };
  Entry& entry(const std::uint64_t* fired);
  const Entry& get(const std::uint64_t* fired);
  const Recommender& recommender_;
  std::size_t words_;
  std::deque<std::string> keys_;  // the sets' words as bytes (stable: the map's keys view them)
  std::unordered_map<std::string_view, Entry> entries_;
  std::unordered_map<std::uint64_t, Entry*> one_word_;  // when words_ == 1
};

// actions_text and groups_text of every 8-bit set, built once per writer.
struct SetTexts {
  std::array<std::string, 256> actions, groups;
  SetTexts();
};

// One output row's answer fields after the id: ",age,scheme,actions,groups,
// retirement_date," then the reason codes, or the texts as two fields.
void append_roster_answer(std::string& out, int age, Scheme scheme, ActionSet actions,
                          GroupSet groups, Date retirement_date, const std::uint64_t* fired,
                          RosterReasons reasons, ReasonCache& cache, const SetTexts& sets);

// The header line: id,age,...,reasons (or reason,reason_en), the extra columns.
std::string roster_csv_header(const Roster& roster, RosterReasons reasons);

}  // namespace canbao::detail
