// Roster recommendations: evaluation through the batch path and the CSV/JSON
// writers. Issue 15: a 1 M-row roster is evaluated and formatted in parts on
// the machine's cores and written in order (the bytes never depend on the
// thread count), and rows carry reason codes ("scheme.3": table scheme,
// rows[3]) unless the bilingual texts are asked for.
#include <canbao/roster.hpp>

#include <array>
#include <map>
#include <ostream>

#include <nlohmann/json.hpp>

#include <canbao/batch.hpp>
#include <canbao/detail/message_text.hpp>
#include <canbao/recommender.hpp>

#include "detail/csv.hpp"
#include "detail/parallel.hpp"
#include "detail/text_append.hpp"

namespace canbao {
namespace {

// Any cell canbao writes back: a whole ID number in it is masked.
std::string safe_cell(std::string_view value) { return detail::mask_id_numbers(value); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A cell written back, escaped, with its ID-like digit runs masked; without
// a copy when it has no run of 15 digits or more and nothing to escape.
void append_cell(std::string& out, std::string_view v) {
  std::size_t run = 0, longest = 0;
  bool plain = true;
  for (char c : v) {
    run = is_digit(c) ? run + 1 : 0;
    longest = std::max(longest, run);
    plain = plain && c != ',' && c != '"' && c != '\r' && c != '\n';
  }
  if (longest < 15 && plain) {
    out.append(v);
  } else {
    out += detail::csv_escape(longest < 15 ? std::string(v) : safe_cell(v));
  }
}

struct ReasonText {
  std::string zh, en;
};

// The reasons of one set of fired rows, built once per distinct set.
class ReasonCache {
 public:
  explicit ReasonCache(const Recommender& r) : recommender_(r) {}
  const ReasonText& get(const std::vector<std::uint64_t>& fired) {
    auto it = cache_.find(fired);
    if (it != cache_.end()) return it->second;
    ReasonText r;
    for (int bit = 0; bit < recommender_.row_count(); ++bit) {
      if (!((fired[static_cast<std::size_t>(bit / 64)] >> (bit % 64)) & 1u)) continue;
      const Reason& why = recommender_.row(bit).reason;
      r.zh += (r.zh.empty() ? "" : "；") + why.zh;
      r.en += (r.en.empty() ? "" : "; ") + why.en;
    }
    return cache_.emplace(fired, std::move(r)).first->second;
  }
  // "scheme.3;actions.0": the fired rows' codes, joined by ';' in row order.
  const std::string& codes(const std::vector<std::uint64_t>& fired) {
    auto it = codes_.find(fired);
    if (it != codes_.end()) return it->second;
    std::string c;
    for (int bit = 0; bit < recommender_.row_count(); ++bit) {
      if ((fired[static_cast<std::size_t>(bit / 64)] >> (bit % 64)) & 1u)
        c += (c.empty() ? "" : ";") + reason_code(recommender_, bit);
    }
    return codes_.emplace(fired, std::move(c)).first->second;
  }

 private:
  const Recommender& recommender_;
  std::map<std::vector<std::uint64_t>, ReasonText> cache_;
  std::map<std::vector<std::uint64_t>, std::string> codes_;
};

// actions_text and groups_text of every 8-bit set, built once per writer.
struct SetTexts {
  std::array<std::string, 256> actions, groups;
  SetTexts() {
    for (int i = 0; i < 256; ++i) {
      actions[static_cast<std::size_t>(i)] = actions_text(static_cast<ActionSet>(i));
      groups[static_cast<std::size_t>(i)] = groups_text(static_cast<GroupSet>(i));
    }
  }
};

// Rows [begin, end) of the CSV output.
std::string csv_rows(const Recommender& recommender, const Roster& roster,
                     const std::vector<RosterResult>& results, RosterReasons reasons,
                     const SetTexts& sets, std::size_t begin, std::size_t end) {
  ReasonCache cache(recommender);
  std::string out;
  out.reserve((end - begin) * 64);
  for (std::size_t i = begin; i < end; ++i) {
    const RosterPerson& p = roster.persons[i];
    const RosterResult& r = results[i];
    append_cell(out, p.id);
    out += ',';
    out += std::to_string(r.age);
    out += ',';
    out += scheme_name(r.scheme);
    out += ',';
    out += sets.actions[r.actions];
    out += ',';
    out += sets.groups[r.groups];
    out += ',';
    detail::append_iso_date(out, r.retirement_date);
    out += ',';
    if (reasons == RosterReasons::codes) {
      out += cache.codes(r.fired_rows);  // codes never need escaping
    } else {
      const ReasonText& why = cache.get(r.fired_rows);
      out += detail::csv_escape(why.zh);
      out += ',';
      out += detail::csv_escape(why.en);
    }
    for (const std::string& v : p.extra) {
      out += ',';
      append_cell(out, v);
    }
    out += '\n';
  }
  return out;
}

}  // namespace

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
  out << "id,age,scheme,actions,groups,retirement_date,"
      << (reasons == RosterReasons::codes ? "reasons" : "reason,reason_en");
  for (const std::string& c : roster.extra_columns) out << ',' << detail::csv_escape(safe_cell(c));
  out << '\n';
  const SetTexts sets;
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
  ReasonCache reasons_cache(recommender);
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
    const ReasonText& why = reasons_cache.get(r.fired_rows);
    json o = {{"id", safe_cell(p.id)},
              {"age", r.age},
              {"scheme", scheme_name(r.scheme)},
              {"actions", list(actions_text(r.actions))},
              {"groups", list(groups_text(r.groups))},
              {"retirement_date", r.retirement_date.iso()}};
    if (codes) {
      o["reasons"] = list(reasons_cache.codes(r.fired_rows));
    } else {
      o["reason"] = why.zh;
      o["reason_en"] = why.en;
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
