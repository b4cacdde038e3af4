// The recommend answer as JSON text without a DOM (detail/recommendation_writer.hpp).
// Must stay byte-identical to to_json_value(Recommendation) in result_json.cpp:
// the same fields, in nlohmann's order (std::map: keys sorted bytewise).
#include "detail/recommendation_writer.hpp"

#include <charconv>

#include "detail/text_append.hpp"

namespace canbao::detail {
namespace {

void append_int(std::string& out, long long v) {
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  out.append(buf, end);
}

// The reasons of the fired rows joined as Recommendation::reason_zh/en join
// them, escaped piece by piece (the separators need no escape).
void append_reasons(std::string& out, const Recommendation& rec, bool zh) {
  out += '"';
  bool first = true;
  for (const FiredRow& f : rec.trace) {
    const std::string& r = zh ? f.rule->reason.zh : f.rule->reason.en;
    if (r.empty()) continue;
    if (!first) out += zh ? "\xEF\xBC\x9B" : "; ";  // "；" U+FF1B
    first = false;
    append_json_string_body(out, r);
  }
  out += '"';
}

}  // namespace

void append_recommendation_json(const Recommendation& rec, std::string& out) {
  // One allocation for a typical answer (500-900 bytes, most of it the texts).
  std::size_t texts = 0;
  for (const FiredRow& f : rec.trace)
    texts += 2 * (f.rule->reason.zh.size() + f.rule->reason.en.size()) + f.rule->path.size() +
             f.rule->source.size();
  out.reserve(out.size() + 400 + texts);
  out += "{\"actions\":[";
  bool first = true;
  for (int a = 0; a < kActionCount; ++a) {
    if (!(rec.actions & (1u << a))) continue;
    out += first ? "\"" : ",\"";
    out += action_name(static_cast<Action>(a));  // identifiers: nothing to escape
    out += '"';
    first = false;
  }
  const DerivedFacts& d = rec.facts;
  out += "],\"facts\":{\"age\":";
  append_int(out, d.age);
  out += ",\"contributable_months\":";
  append_int(out, d.contributable_months);
  out += ",\"minimum_months\":";
  append_int(out, d.minimum_months);
  out += ",\"months_still_needed\":";
  append_int(out, d.months_still_needed());
  out += ",\"prior_contribution_months\":";
  append_int(out, d.prior_contribution_months);
  out += ",\"reaches_minimum_by_retirement\":";
  out += d.reaches_minimum_by_retirement() ? "true" : "false";
  out += ",\"retirement_date\":\"";
  append_iso_date(out, d.retirement_date);
  out += "\",\"years_to_retirement\":";
  append_int(out, d.years_to_retirement);
  out += "},\"fired\":[";
  first = true;
  for (const FiredRow& f : rec.trace) {
    out += first ? "{\"path\":" : ",{\"path\":";
    first = false;
    append_json_string(out, f.rule->path);
    out += ",\"reason_en\":";
    append_json_string(out, f.rule->reason.en);
    out += ",\"reason_zh\":";
    append_json_string(out, f.rule->reason.zh);
    if (!f.rule->source.empty()) {
      out += ",\"source\":";
      append_json_string(out, f.rule->source);
    }
    out += '}';
  }
  out += "],\"groups\":[";
  first = true;
  for (int g = 1; g <= kGroupCount; ++g) {
    if (!rec.in_group(g)) continue;
    out += first ? "\"g" : ",\"g";
    append_int(out, g);
    out += '"';
    first = false;
  }
  out += "],\"reason_en\":";
  append_reasons(out, rec, false);
  out += ",\"reason_zh\":";
  append_reasons(out, rec, true);
  out += ",\"scheme\":\"";
  out += scheme_name(rec.scheme);
  out += "\"}";
}

}  // namespace canbao::detail
