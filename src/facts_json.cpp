// The "facts" section and the tests of declared facts in conditions: read
// strictly (unknown keys and bad values are errors naming the JSON path),
// written back in canonical form (docs/policy-format.md#facts).
#include "detail/facts_json.hpp"

#include <set>

#include <canbao/date.hpp>

#include "detail/json_reader.hpp"
#include "detail/recommendation_json.hpp"

namespace canbao::detail {

namespace {

// Keys a condition already uses, and the roster's own columns: a fact may
// not take them (docs/policy-format.md#facts).
const std::set<std::string> kConditionKeys = {
    "sex", "hukou_local", "insurance_status", "employment", "flags_any", "flags_none", "age",
    "resident_grade_yuan", "years_to_retirement", "contributable_years_ge_minimum",
    "contribution_years_still_needed", "reaches_minimum_by_retirement"};
const std::set<std::string> kRosterColumns = {
    "id", "id_number", "name", "sex", "birth_date", "hukou_local", "insurance_status",
    "employment", "resident_grade_yuan", "flags"};

bool is_identifier(const std::string& s) {
  if (s.empty() || s.size() > 64 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::vector<FactValueName> read_values(const json& j, const std::string& path, std::size_t max) {
  if (!j.is_array()) fail_at(path, "expected an array of {id, name}, got " + json_type_name(j));
  if (j.empty()) fail_at(path, "at least one value is required");
  if (j.size() > max)
    fail_at(path, std::to_string(j.size()) + " values, at most " + std::to_string(max));
  std::vector<FactValueName> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    ObjectReader r(j[i], path_index(path, i));
    FactValueName v{r.string("id"), r.optional_string("name").value_or("")};
    if (!is_identifier(v.id))
      fail_at(r.path_of("id"), "\"" + v.id + "\" is not an id (a-z, 0-9 and _, starting with a letter)");
    for (const FactValueName& e : out) {
      if (e.id == v.id) fail_at(r.path_of("id"), "value id \"" + v.id + "\" is used twice");
    }
    r.done();
    out.push_back(std::move(v));
  }
  return out;
}

// A value written in JSON (a default): its natural JSON type per fact type.
FactValue read_value(const json& j, const std::string& path, const FactDeclaration& f) {
  std::string why;
  std::optional<FactValue> v;
  switch (f.type) {
    case FactType::boolean:
      if (!j.is_boolean()) fail_at(path, "expected true or false, got " + json_type_name(j));
      return j.get<bool>() ? 1 : 0;
    case FactType::integer:
      return static_cast<FactValue>(read_integer(j, path, f.min, f.max));
    case FactType::enumeration:
    case FactType::date: v = f.parse(read_string(j, path), &why); break;
    case FactType::flags: {
      if (!j.is_array()) fail_at(path, "expected an array of flag ids, got " + json_type_name(j));
      std::string text;
      for (std::size_t i = 0; i < j.size(); ++i)
        text += (i ? ";" : "") + read_string(j[i], path_index(path, i));
      v = f.parse(text, &why);
      break;
    }
  }
  if (!v) fail_at(path, why);
  return *v;
}

// {"extends": "employment", "values": [...]}: values added to a built-in
// list, after its built-in ones (docs/facts.md#extending-the-built-in-lists).
void read_extension(ObjectReader& r, BuiltinValues& builtin) {
  const std::string list = r.string("extends");
  int l = 0;
  while (l < kBuiltinListCount && list != builtin_list_name(static_cast<BuiltinList>(l))) ++l;
  if (l == kBuiltinListCount)
    fail_at(r.path_of("extends"), "expected \"insurance_status\", \"employment\" or \"flags\", got \"" +
                                      list + "\"");
  const auto which = static_cast<BuiltinList>(l);
  BuiltinValues::Added& added = builtin.added(which);
  if (!added.values.empty())
    fail_at(r.path_of("extends"), "the " + list + " list is extended twice: add every value in one entry");
  const std::size_t room =
      static_cast<std::size_t>(BuiltinValues::max_count(which) - BuiltinValues::builtin_count(which));
  const std::string vpath = r.path_of("values");
  const json& values = r.array("values");
  if (values.size() > room) {
    fail_at(vpath, std::to_string(values.size()) + " values, but " + list + " has room for " +
                       std::to_string(room) + " more (at most " +
                       std::to_string(BuiltinValues::max_count(which)) +
                       " in all): declare an enumeration or flags fact instead");
  }
  std::vector<FactValueName> read = read_values(values, vpath, room);
  for (std::size_t k = 0; k < read.size(); ++k) {
    if (builtin.code(which, read[k].id) >= 0)
      fail_at(path_index(vpath, k) + ".id", "\"" + read[k].id + "\" is already a value of " + list);
  }
  added.values = std::move(read);
  added.source = r.optional_string("source").value_or("");
  added.note = r.optional_string("note").value_or("");
  r.done();
}

}  // namespace

FactDeclarations read_facts(const json& section, const std::string& path) {
  if (!section.is_array()) fail_at(path, "expected an array of facts, got " + json_type_name(section));
  FactDeclarations out;
  std::set<std::string> columns;
  for (std::size_t i = 0; i < section.size(); ++i) {
    ObjectReader r(section[i], path_index(path, i));
    if (r.has("extends")) {
      read_extension(r, out.builtin);
      continue;
    }
    FactDeclaration f;
    f.id = r.string("id");
    if (!is_identifier(f.id))
      fail_at(r.path_of("id"), "\"" + f.id + "\" is not an id (a-z, 0-9 and _, starting with a letter)");
    if (kConditionKeys.count(f.id))
      fail_at(r.path_of("id"), "\"" + f.id + "\" is a built-in fact: declare a fact with another id");
    if (out.index_of(f.id) >= 0) fail_at(r.path_of("id"), "fact id \"" + f.id + "\" is used twice");
    f.name = r.optional_string("name").value_or("");
    const std::string type = r.string("type");
    if (type == "boolean") {
      f.type = FactType::boolean;
    } else if (type == "enumeration") {
      f.type = FactType::enumeration;
      f.values = read_values(r.array("values"), r.path_of("values"), FactDeclaration::kMaxValues);
    } else if (type == "flags") {
      f.type = FactType::flags;
      f.values = read_values(r.array("values"), r.path_of("values"), FactDeclaration::kMaxFlags);
    } else if (type == "integer") {
      f.type = FactType::integer;
      f.min = static_cast<std::int32_t>(r.integer("min", -1000000000, 1000000000));
      f.max = static_cast<std::int32_t>(r.integer("max", -1000000000, 1000000000));
      if (f.min > f.max) fail_at(r.path_of("max"), "max must not be below min");
    } else if (type == "date") {
      f.type = FactType::date;
      f.min = r.has("min") ? r.date("min").day_number() : Date::from_ymd(1900, 1, 1)->day_number();
      f.max = r.has("max") ? r.date("max").day_number() : Date::from_ymd(2200, 12, 31)->day_number();
      if (f.min > f.max) fail_at(r.path_of("max"), "max must not be before min");
    } else {
      fail_at(r.path_of("type"), "expected \"boolean\", \"enumeration\", \"integer\", \"date\" or "
                                 "\"flags\", got \"" + type + "\"");
    }
    f.column = r.optional_string("column").value_or(f.id);
    if (kRosterColumns.count(f.column) || !columns.insert(f.column).second) {
      fail_at(r.path_of(r.has("column") ? "column" : "id"),
              "roster column \"" + f.column + "\" is already taken (by a built-in column or another fact)");
    }
    if (const json* d = r.optional("default")) f.default_value = read_value(*d, r.path_of("default"), f);
    f.source = r.optional_string("source").value_or("");
    f.note = r.optional_string("note").value_or("");
    r.done();
    out.facts.push_back(std::move(f));
  }
  return out;
}

json write_fact_value(const FactDeclaration& f, FactValue v) {
  switch (f.type) {
    case FactType::boolean: return v != 0;
    case FactType::integer: return v;
    case FactType::enumeration:
    case FactType::date: return f.text(v);
    case FactType::flags: {
      json a = json::array();
      for (std::size_t i = 0; i < f.values.size(); ++i)
        if ((static_cast<std::uint32_t>(v) >> i) & 1u) a.push_back(f.values[i].id);
      return a;
    }
  }
  return nullptr;
}

namespace {
json write_values(const std::vector<FactValueName>& values) {
  json vs = json::array();
  for (const FactValueName& v : values) {
    json e = {{"id", v.id}};
    if (!v.name.empty()) e["name"] = v.name;
    vs.push_back(std::move(e));
  }
  return vs;
}
}  // namespace

json write_facts(const FactDeclarations& facts) {
  json out = json::array();
  for (const FactDeclaration& f : facts.facts) {
    json o = json::object();
    o["id"] = f.id;
    if (!f.name.empty()) o["name"] = f.name;
    o["type"] = fact_type_name(f.type);
    if (!f.values.empty()) o["values"] = write_values(f.values);
    if (f.type == FactType::integer) {
      o["min"] = f.min;
      o["max"] = f.max;
    }
    if (f.type == FactType::date) {
      o["min"] = Date::from_day_number(f.min).iso();
      o["max"] = Date::from_day_number(f.max).iso();
    }
    if (f.column != f.id) o["column"] = f.column;
    if (f.default_value) o["default"] = write_fact_value(f, *f.default_value);
    if (!f.source.empty()) o["source"] = f.source;
    if (!f.note.empty()) o["note"] = f.note;
    out.push_back(std::move(o));
  }
  for (int l = 0; l < kBuiltinListCount; ++l) {
    const auto which = static_cast<BuiltinList>(l);
    const BuiltinValues::Added& added = facts.builtin.added(which);
    if (added.values.empty()) continue;
    json o = {{"extends", builtin_list_name(which)}, {"values", write_values(added.values)}};
    if (!added.source.empty()) o["source"] = added.source;
    if (!added.note.empty()) o["note"] = added.note;
    out.push_back(std::move(o));
  }
  return out;
}

FactTest read_fact_test(const json& j, const std::string& path, const FactDeclarations& facts,
                        int fact) {
  const FactDeclaration& f = facts.facts[static_cast<std::size_t>(fact)];
  FactTest t;
  t.fact = fact;
  t.type = f.type;
  auto value_set = [&](const json& list, const std::string& p) {
    if (!list.is_array()) fail_at(p, "expected an array of value ids, got " + json_type_name(list));
    if (list.empty()) fail_at(p, "an empty list matches nobody (omit the key to match everyone)");
    std::uint64_t set = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string e = path_index(p, i);
      const std::string id = read_string(list[i], e);
      const int k = f.value_index(id);
      if (k < 0) fail_at(e, "unknown value \"" + id + "\" of " + f.id + " (expected " + f.expected() + ")");
      if ((set >> k) & 1u) fail_at(e, "\"" + id + "\" is listed twice");
      set |= std::uint64_t{1} << k;
    }
    return set;
  };
  switch (f.type) {
    case FactType::boolean:
      if (!j.is_boolean()) fail_at(path, "expected true or false, got " + json_type_name(j));
      t.values = j.get<bool>() ? 2u : 1u;
      break;
    case FactType::enumeration:
      if (f.values.size() > 64)
        fail_at(path, "a test of an enumeration of over 64 values is not supported yet");
      t.values = value_set(j, path);
      break;
    case FactType::flags: {
      ObjectReader r(j, path);
      if (const json* a = r.optional("any")) t.any = static_cast<std::uint32_t>(value_set(*a, r.path_of("any")));
      if (const json* n = r.optional("none")) t.none = static_cast<std::uint32_t>(value_set(*n, r.path_of("none")));
      r.done();
      if (!t.any && !t.none) fail_at(path, "a flags test needs \"any\" or \"none\"");
      if (t.any && (t.any & ~t.none) == 0)
        fail_at(path, "contradiction: every flag in any is also in none, so no one matches");
      break;
    }
    case FactType::integer:
    case FactType::date: {
      // {"ge": 15}, {"lt": "2011-07-01"}: as the built-in ranges, dates as text.
      const Bounds b = read_bounds(
          j, path, f.min, f.max, f.id, "expected " + f.expected(),
          [&](const json& v, const std::string& p) -> std::int64_t {
            if (f.type == FactType::date) return read_date(v, p).day_number();
            return read_integer(v, p, std::int64_t{f.min} - 1, std::int64_t{f.max} + 1);
          });
      t.range.min = static_cast<std::int32_t>(std::max<std::int64_t>(b.lo, f.min));
      t.range.max = static_cast<std::int32_t>(std::min<std::int64_t>(b.hi, f.max));
      break;
    }
  }
  return t;
}

json write_fact_test(const FactTest& t, const FactDeclarations& facts) {
  const FactDeclaration& f = facts.facts[static_cast<std::size_t>(t.fact)];
  auto ids = [&](std::uint64_t set) {
    json a = json::array();
    for (std::size_t i = 0; i < f.values.size() && i < 64; ++i)
      if ((set >> i) & 1u) a.push_back(f.values[i].id);
    return a;
  };
  switch (f.type) {
    case FactType::boolean: return t.values == 2u;
    case FactType::enumeration: return ids(t.values);
    case FactType::flags: {
      json o = json::object();
      if (t.any) o["any"] = ids(t.any);
      if (t.none) o["none"] = ids(t.none);
      return o;
    }
    case FactType::integer:
    case FactType::date: {
      json o = json::object();
      auto value = [&](std::int32_t v) -> json {
        if (f.type == FactType::date) return Date::from_day_number(v).iso();
        return v;
      };
      if (t.range.min == t.range.max) return json{{"eq", value(t.range.min)}};
      if (t.range.min > f.min) o["ge"] = value(t.range.min);
      if (t.range.max < f.max) o["le"] = value(t.range.max);
      if (o.empty()) o["ge"] = value(t.range.min);  // the whole range: still a test
      return o;
    }
  }
  return nullptr;
}

}  // namespace canbao::detail
