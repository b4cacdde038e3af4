// Roster recommendations: evaluation through the batch path and the CSV/JSON
// writers. Issue 15: a 1 M-row roster is evaluated and formatted in parts on
// the machine's cores and written in order (the bytes never depend on the
// thread count), and rows carry reason codes ("scheme.3": table scheme,
// rows[3]) unless the bilingual texts are asked for.
#include <canbao/roster.hpp>

#include <charconv>
#include <cstring>
#include <ostream>

#include <nlohmann/json.hpp>

#include <canbao/batch.hpp>
#include <canbao/detail/message_text.hpp>
#include <canbao/recommender.hpp>

#include "detail/csv.hpp"
#include "detail/parallel.hpp"
#include "detail/roster_output.hpp"
#include "detail/text_append.hpp"

namespace canbao {
namespace {

// Any cell canbao writes back: a whole ID number in it is masked.
std::string safe_cell(std::string_view value) { return detail::mask_id_numbers(value); }

// The words of a result's fired rows, padded when a caller built the result
// with fewer (the missing words have no row that fired).
const std::uint64_t* fired_words(const RosterResult& r, std::size_t words,
                                 std::vector<std::uint64_t>& padded) {
  if (r.fired_rows.size() >= words) return r.fired_rows.data();
  padded = r.fired_rows;
  padded.resize(words, 0);
  return padded.data();
}

// Rows [begin, end) of the CSV output.
std::string csv_rows(const Recommender& recommender, const Roster& roster,
                     const std::vector<RosterResult>& results, RosterReasons reasons,
                     const detail::SetTexts& sets, std::size_t begin, std::size_t end) {
  detail::ReasonCache cache(recommender);
  const std::size_t words = static_cast<std::size_t>(recommender.fired_row_words());
  std::vector<std::uint64_t> padded;
  std::string out;
  out.reserve((end - begin) * 64);
  for (std::size_t i = begin; i < end; ++i) {
    const RosterPerson& p = roster.persons[i];
    const RosterResult& r = results[i];
    detail::append_roster_cell(out, p.id);
    detail::append_roster_answer(out, r.age, r.scheme, r.actions, r.groups, r.retirement_date,
                                 fired_words(r, words, padded), reasons, cache, sets);
    for (const std::string& v : p.extra) {
      out += ',';
      detail::append_roster_cell(out, v);
    }
    out += '\n';
  }
  return out;
}

}  // namespace

namespace detail {

void append_roster_cell(std::string& out, std::string_view v) {
  if (v.size() < 15) {  // too short for an ID number: only escaping to decide
    bool plain = true;
    for (char c : v) plain = plain && c != ',' && c != '"' && c != '\r' && c != '\n';
    if (plain) {
      out.append(v);
      return;
    }
  }
  std::size_t run = 0, longest = 0;
  bool plain = true;
  for (char c : v) {
    run = c >= '0' && c <= '9' ? run + 1 : 0;
    longest = std::max(longest, run);
    plain = plain && c != ',' && c != '"' && c != '\r' && c != '\n';
  }
  if (longest < 15 && plain) {
    out.append(v);
  } else {
    out += csv_escape(longest < 15 ? std::string(v) : safe_cell(v));
  }
}

ReasonCache::ReasonCache(const Recommender& r)
    : recommender_(r), words_(static_cast<std::size_t>(r.fired_row_words())) {}

ReasonCache::Entry& ReasonCache::entry(const std::uint64_t* fired) {
  if (words_ == 1) {  // most policies: one word, found without hashing bytes
    auto it = one_word_.find(*fired);
    if (it != one_word_.end()) return *it->second;
  }
  const std::string_view key(reinterpret_cast<const char*>(fired), words_ * sizeof(std::uint64_t));
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second;
  keys_.emplace_back(key);
  Entry& e = entries_.emplace(std::string_view(keys_.back()), Entry{}).first->second;
  if (words_ == 1) one_word_.emplace(*fired, &e);
  return e;
}

const std::string& ReasonCache::codes(const std::uint64_t* fired) {
  Entry& e = entry(fired);
  if (e.has_codes) return e.codes;
  for (int bit = 0; bit < recommender_.row_count(); ++bit) {
    if ((fired[static_cast<std::size_t>(bit / 64)] >> (bit % 64)) & 1u)
      e.codes += (e.codes.empty() ? "" : ";") + reason_code(recommender_, bit);
  }
  e.has_codes = true;
  return e.codes;
}

const ReasonCache::Entry& ReasonCache::get(const std::uint64_t* fired) {
  Entry& e = entry(fired);
  if (e.has_texts) return e;
  for (int bit = 0; bit < recommender_.row_count(); ++bit) {
    if (!((fired[static_cast<std::size_t>(bit / 64)] >> (bit % 64)) & 1u)) continue;
    const Reason& why = recommender_.row(bit).reason;
    e.zh += (e.zh.empty() ? "" : "；") + why.zh;
    e.en += (e.en.empty() ? "" : "; ") + why.en;
  }
  e.csv = csv_escape(e.zh) + "," + csv_escape(e.en);
  e.has_texts = true;
  return e;
}

SetTexts::SetTexts() {
  for (int i = 0; i < 256; ++i) {
    actions[static_cast<std::size_t>(i)] = actions_text(static_cast<ActionSet>(i));
    groups[static_cast<std::size_t>(i)] = groups_text(static_cast<GroupSet>(i));
  }
}

void append_roster_answer(std::string& out, int age, Scheme scheme, ActionSet actions,
                          GroupSet groups, Date retirement_date, const std::uint64_t* fired,
                          RosterReasons reasons, ReasonCache& cache, const SetTexts& sets) {
  // Codes never need escaping; the texts are escaped once per set.
  const std::string& why =
      reasons == RosterReasons::codes ? cache.codes(fired) : cache.csv_texts(fired);
  const std::string_view name = scheme_name(scheme);
  const std::string& a = sets.actions[actions];
  const std::string& g = sets.groups[groups];
  const YearMonthDay ymd = retirement_date.ymd();
  const std::size_t most = 16 + name.size() + a.size() + g.size() + 16 + why.size();
  const std::size_t at = out.size();
  out.resize(at + most);  // one size check a row instead of one a field
  char* p = &out[at];
  auto put = [&p](std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  };
  *p++ = ',';
  p = std::to_chars(p, p + 12, age).ptr;
  *p++ = ',';
  put(name);
  *p++ = ',';
  put(a);
  *p++ = ',';
  put(g);
  *p++ = ',';
  char text[10];
  if (iso_date_digits(ymd, text)) {
    put(std::string_view(text, sizeof text));
    *p++ = ',';
    put(why);
    out.resize(static_cast<std::size_t>(p - out.data()));
    return;
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
  append_iso_date(out, retirement_date);
  out += ',';
  out += why;
}

std::string roster_csv_header(const Roster& roster, RosterReasons reasons) {
  std::string out = "id,age,scheme,actions,groups,retirement_date,";
  out += reasons == RosterReasons::codes ? "reasons" : "reason,reason_en";
  for (const std::string& c : roster.extra_columns) out += ',' + csv_escape(safe_cell(c));
  out += '\n';
  return out;
}

}  // namespace detail

std::string reason_code(const Recommender& recommender, int bit) {
  const std::string& table =
      recommender.rules().tables[static_cast<std::size_t>(recommender.row_table(bit))].id;
  const int row = recommender.row_index(bit);
  return table + "." + (row < 0 ? std::string("otherwise") : std::to_string(row));
}

std::vector<RosterResult> recommend_roster(const Recommender& recommender, const Roster& roster,
                                           Date as_of) {
  return recommend_roster(recommender, roster, as_of, 1);
}

std::vector<RosterResult> recommend_roster(const Recommender& recommender, const Roster& roster,
                                           Date as_of, unsigned threads) {
  const std::size_t n = roster.persons.size();
  std::vector<RosterResult> out(n);
  const std::size_t words = static_cast<std::size_t>(recommender.fired_row_words());
  const std::size_t parts = n < 4096 ? 1 : detail::thread_count(threads);
  recommender.prepared(as_of);  // prepared once, before the parts share it
  detail::run_parts(parts, [&](std::size_t part) {
    const std::size_t begin = detail::part_begin(n, parts, part);
    const std::size_t end = detail::part_begin(n, parts, part + 1);
    const std::size_t m = end - begin;
    PersonColumnStore in(recommender.facts());
    for (std::size_t i = begin; i < end; ++i) in.push_back(roster.persons[i].person);
    std::vector<std::uint8_t> scheme(m), actions(m), groups(m);
    std::vector<std::uint64_t> fired(m * words);
    recommender.recommend_batch(
        as_of, in.view(),
        RecommendationColumns{scheme.data(), actions.data(), groups.data(), fired.data()});
    for (std::size_t k = 0; k < m; ++k) {
      const DerivedFacts f = recommender.derive(roster.persons[begin + k].person, as_of);
      out[begin + k] = RosterResult{
          f.age,
          static_cast<Scheme>(scheme[k]),
          actions[k],
          groups[k],
          f.retirement_date,
          std::vector<std::uint64_t>(fired.begin() + static_cast<std::ptrdiff_t>(k * words),
                                     fired.begin() + static_cast<std::ptrdiff_t>((k + 1) * words))};
    }
  });
  return out;
}

void write_roster_csv(std::ostream& out, const Recommender& recommender, const Roster& roster,
                      const std::vector<RosterResult>& results) {
  write_roster_csv(out, recommender, roster, results, RosterReasons::text, 1);
}

void write_roster_csv(std::ostream& out, const Recommender& recommender, const Roster& roster,
                      const std::vector<RosterResult>& results, RosterReasons reasons,
                      unsigned threads) {
  out << detail::roster_csv_header(roster, reasons);
  const detail::SetTexts sets;
  const std::size_t n = results.size();
  // Parts of about 64 Ki rows: formatted on the threads, written in order.
  constexpr std::size_t kRows = 1 << 16;
  const std::size_t parts = std::max<std::size_t>(1, (n + kRows - 1) / kRows);
  const std::size_t workers = std::min<std::size_t>(parts, detail::thread_count(threads));
  for (std::size_t first = 0; first < parts; first += workers) {
    const std::size_t batch = std::min(workers, parts - first);
    std::vector<std::string> text(batch);
    detail::run_parts(batch, [&](std::size_t k) {
      const std::size_t part = first + k;
      text[k] =
          csv_rows(recommender, roster, results, reasons, sets, detail::part_begin(n, parts, part),
                   detail::part_begin(n, parts, part + 1));
    });
    for (const std::string& t : text) out.write(t.data(), static_cast<std::streamsize>(t.size()));
  }
}

void write_roster_json(std::ostream& out, const Recommender& recommender, const Roster& roster,
                       const std::vector<RosterResult>& results) {
  write_roster_json(out, recommender, roster, results, RosterReasons::text);
}

void write_roster_json(std::ostream& out, const Recommender& recommender, const Roster& roster,
                       const std::vector<RosterResult>& results, RosterReasons reasons) {
  using nlohmann::json;
  const bool codes = reasons == RosterReasons::codes;
  if (codes) {
    // The reason table once: each code's texts (docs/roster.md#reason-codes).
    json table = json::object();
    for (int bit = 0; bit < recommender.row_count(); ++bit) {
      const Reason& why = recommender.row(bit).reason;
      table[reason_code(recommender, bit)] = {{"zh", why.zh}, {"en", why.en}};
    }
    out << "{\"reasons\": " << table.dump() << ",\n\"rows\": ";
  }
  detail::ReasonCache reasons_cache(recommender);
  const std::size_t words = static_cast<std::size_t>(recommender.fired_row_words());
  std::vector<std::uint64_t> padded;
  auto list = [](const std::string& text) {
    json a = json::array();
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find(';', start);
      if (end == std::string::npos) end = text.size();
      a.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return a;
  };
  out << "[";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RosterPerson& p = roster.persons[i];
    const RosterResult& r = results[i];
    const std::uint64_t* fired = fired_words(r, words, padded);
    json o = {{"id", safe_cell(p.id)},
              {"age", r.age},
              {"scheme", scheme_name(r.scheme)},
              {"actions", list(actions_text(r.actions))},
              {"groups", list(groups_text(r.groups))},
              {"retirement_date", r.retirement_date.iso()}};
    if (codes) {
      o["reasons"] = list(reasons_cache.codes(fired));
    } else {
      o["reason"] = reasons_cache.zh(fired);
      o["reason_en"] = reasons_cache.en(fired);
    }
    if (!roster.extra_columns.empty()) {
      json extra = json::object();
      for (std::size_t k = 0; k < roster.extra_columns.size(); ++k)
        extra[safe_cell(roster.extra_columns[k])] = safe_cell(p.extra[k]);
      o["extra"] = std::move(extra);
    }
    out << (i ? ",\n " : "\n ") << o.dump();
  }
  out << (results.empty() ? "]" : "\n]") << (codes ? "}\n" : "\n");
}

void write_rejects_csv(std::ostream& out, const Roster& roster) {
  out << "line,column,reason";
  for (const std::string& h : roster.header) out << ',' << detail::csv_escape(safe_cell(h));
  out << '\n';
  for (const RosterReject& r : roster.rejects) {
    out << r.line << ',' << r.column << ',' << detail::csv_escape(r.reason);
    for (std::size_t k = 0; k < roster.header.size(); ++k) {
      out << ',' << (k < r.fields.size() ? detail::csv_escape(r.fields[k]) : std::string());
    }
    out << '\n';
  }
}

}  // namespace canbao
