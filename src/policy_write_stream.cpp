// The canonical JSON written in pieces (issue 15): the same bytes as
// policy_json(p).dump() (policy_write.cpp), but the units, which are nearly all
// of a national policy, are written straight from the model instead of through
// a DOM of 700,000 objects. The fingerprint hashes the pieces as they come.
#include <algorithm>
#include <cstdio>

#include "detail/policy_reader.hpp"
#include "detail/sha256.hpp"
#include "detail/text_append.hpp"

namespace canbao::detail {

namespace {

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
      append_json_string(out, a.base);
      out += ",\"metric\":";
      append_json_string(out, a.metric);
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
      append_json_string(out, bases[i]->first);
      out += ':';
      out += std::to_string(bases[i]->second);
    }
    out += "},";
  }
  put_key(out, "id");
  append_json_string(out, u.id);
  out += ',';
  put_key(out, "level");
  append_json_string(out, u.level);
  out += ',';
  put_key(out, "name");
  append_json_string(out, u.name);
  if (!u.parent.empty()) {
    out += ',';
    put_key(out, "parent");
    append_json_string(out, u.parent);
  }
  if (!u.source.empty()) {
    out += ',';
    put_key(out, "source");
    append_json_string(out, u.source);
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
      append_json_string(out, given[i]->metric);
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
    append_json_string(buf, it.key());
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
