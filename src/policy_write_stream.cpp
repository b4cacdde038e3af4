// The canonical JSON written in pieces (issue 15): the same bytes as
// policy_json(p).dump() (policy_write.cpp), but the units, which are nearly all
// of a national policy, are written straight from the model instead of through
// a DOM of 700,000 objects. The fingerprint hashes the pieces as they come.
#include <algorithm>
#include <cstdio>

#include "detail/policy_reader.hpp"
#include "detail/sha256.hpp"

namespace canbao::detail {

namespace {

// nlohmann's dump of a valid UTF-8 string (ensure_ascii off): the two-letter
// escapes, \u00XX for the other control characters, every other byte as is.
void put_string(std::string& out, const std::string& s) {
  out += '"';
  const bool plain = std::none_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == '"' || c == '\\';
  });
  if (plain) {  // nearly every id and name: appended whole
    out += s;
    out += '"';
    return;
  }
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void put_key(std::string& out, const char* key) {
  out += '"';
  out += key;
  out += "\":";
}

// One unit as unit_json(u).dump(): keys in std::map (byte) order.
void put_unit(std::string& out, const Unit& u, std::vector<const Target*>& given,
              std::vector<const std::pair<std::string, std::int64_t>*>& bases) {
  out += '{';
  if (!u.allocations.empty()) {
    std::vector<const Allocation*> alloc;
    put_key(out, "allocate");
    out += '[';
    for (std::size_t i = 0; i < u.allocations.size(); ++i) {
      const Allocation& a = u.allocations[i];
      if (i) out += ',';
      out += "{\"base\":";
      put_string(out, a.base);
      out += ",\"metric\":";
      put_string(out, a.metric);
      out += ",\"minimum\":" + std::to_string(a.minimum) + "}";
    }
    out += "],";
  }
  if (!u.bases.empty()) {
    bases.clear();
    for (const auto& b : u.bases) bases.push_back(&b);
    std::sort(bases.begin(), bases.end(),
              [](const auto* x, const auto* y) { return x->first < y->first; });
    put_key(out, "bases");
    out += '{';
    for (std::size_t i = 0; i < bases.size(); ++i) {
      if (i) out += ',';
      put_string(out, bases[i]->first);
      out += ':';
      out += std::to_string(bases[i]->second);
    }
    out += "},";
  }
  put_key(out, "id");
  put_string(out, u.id);
  out += ',';
  put_key(out, "level");
  put_string(out, u.level);
  out += ',';
  put_key(out, "name");
  put_string(out, u.name);
  if (!u.parent.empty()) {
    out += ',';
    put_key(out, "parent");
    put_string(out, u.parent);
  }
  if (!u.source.empty()) {
    out += ',';
    put_key(out, "source");
    put_string(out, u.source);
  }
  given.clear();
  for (const Target& t : u.targets)
    if (t.origin == TargetOrigin::given) given.push_back(&t);
  if (!given.empty()) {
    std::sort(given.begin(), given.end(),
              [](const Target* x, const Target* y) { return x->metric < y->metric; });
    out += ',';
    put_key(out, "targets");
    out += '{';
    for (std::size_t i = 0; i < given.size(); ++i) {
      if (i) out += ',';
      put_string(out, given[i]->metric);
      out += ':';
      const Ratio r = given[i]->value.reduced();
      if (r.den == 1) {
        out += std::to_string(r.num);
      } else {
        out += ratio_json(r).dump();  // a fraction: its exact decimal string
      }
    }
    out += '}';
  }
  out += '}';
}

}  // namespace

void write_canonical_policy(const Policy& p, const std::function<void(std::string_view)>& sink) {
  json doc = policy_json_without_units(p);
  std::string buf;
  buf.reserve(1 << 17);
  const auto flush = [&] {
    if (buf.size() >= (1 << 16)) {
      sink(buf);
      buf.clear();
    }
  };
  std::vector<const Target*> given;
  std::vector<const std::pair<std::string, std::int64_t>*> bases;
  buf += '{';
  bool first = true;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (!first) buf += ',';
    first = false;
    put_string(buf, it.key());
    buf += ':';
    if (it.key() != "units") {
      buf += it.value().dump();
      flush();
      continue;
    }
    buf += '[';
    const auto& units = p.units.units;
    for (std::size_t i = 0; i < units.size(); ++i) {
      if (i) buf += ',';
      put_unit(buf, units[i], given, bases);
      flush();
    }
    buf += ']';
  }
  buf += '}';
  sink(buf);
}

std::string canonical_policy_text(const Policy& p) {
  std::string out;
  write_canonical_policy(p, [&out](std::string_view piece) { out.append(piece); });
  return out;
}

std::string policy_fingerprint(const Policy& p) {
  Sha256 hash;
  write_canonical_policy(p, [&hash](std::string_view piece) { hash.update(piece); });
  return hash.finish_hex();
}

}  // namespace canbao::detail
