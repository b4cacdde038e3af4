#include "detail/json_reader.hpp"

namespace canbao::detail {

std::string json_type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a fractional number";
    default:
      return "an unsupported value";
  }
}

std::string path_key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}
std::string path_index(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

void fail_at(const std::string& path, const std::string& message) {
  throw PolicyError(path.empty() ? "(document)" : path, message);
}

ObjectReader::ObjectReader(const json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) {
    fail_at(path_, "expected an object, got " + json_type_name(object_));
  }
}

bool ObjectReader::has(const std::string& key) const { return object_.contains(key); }

const json& ObjectReader::required(const std::string& key) {
  asked_.insert(key);
  auto it = object_.find(key);
  if (it == object_.end()) fail_at(path_of(key), "required key is missing");
  read_.insert(key);
  return *it;
}

const json* ObjectReader::optional(const std::string& key) {
  asked_.insert(key);
  auto it = object_.find(key);
  if (it == object_.end()) return nullptr;
  read_.insert(key);
  if (it->is_null()) return nullptr;
  return &*it;
}

std::string read_string(const json& j, const std::string& path) {
  if (!j.is_string()) fail_at(path, "expected a string, got " + json_type_name(j));
  std::string s = j.get<std::string>();
  if (s.empty()) fail_at(path, "expected a non-empty string");
  return s;
}

std::int64_t read_integer(const json& j, const std::string& path, std::int64_t min,
                          std::int64_t max) {
  std::int64_t v = 0;
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) fail_at(path, "integer is too large");
    v = static_cast<std::int64_t>(u);
  } else if (j.is_number_integer()) {
    v = j.get<std::int64_t>();
  } else {
    fail_at(path, "expected an integer, got " + json_type_name(j));
  }
  if (v < min) fail_at(path, "must be >= " + std::to_string(min) + ", got " + std::to_string(v));
  if (v > max) fail_at(path, "must be <= " + std::to_string(max) + ", got " + std::to_string(v));
  return v;
}

Ratio read_ratio(const json& j, const std::string& path) {
  if (j.is_number_integer() || j.is_number_unsigned()) {
    return Ratio(read_integer(j, path, INT64_MIN, INT64_MAX));
  }
  if (j.is_string()) {
    Ratio r;
    std::string why;
    if (!parse_ratio(j.get<std::string>(), &r, &why)) fail_at(path, why);
    return r;
  }
  if (j.is_number_float()) {
    fail_at(path,
            "write fractions as a string (\"0.9\" or \"90%\") so they stay exact, got " + j.dump());
  }
  fail_at(path, "expected a number or a string such as \"90%\", got " + json_type_name(j));
}

Date read_date(const json& j, const std::string& path) {
  const std::string s = read_string(j, path);
  std::string why;
  auto d = parse_iso_date(s, &why);
  if (!d) fail_at(path, why);
  return *d;
}

std::string ObjectReader::string(const std::string& key) {
  return read_string(required(key), path_of(key));
}
std::optional<std::string> ObjectReader::optional_string(const std::string& key) {
  const json* j = optional(key);
  if (!j) return std::nullopt;
  return read_string(*j, path_of(key));
}
std::int64_t ObjectReader::integer(const std::string& key) {
  return read_integer(required(key), path_of(key), INT64_MIN, INT64_MAX);
}
std::int64_t ObjectReader::integer(const std::string& key, std::int64_t min, std::int64_t max) {
  return read_integer(required(key), path_of(key), min, max);
}
std::optional<std::int64_t> ObjectReader::optional_integer(const std::string& key, std::int64_t min,
                                                           std::int64_t max) {
  const json* j = optional(key);
  if (!j) return std::nullopt;
  return read_integer(*j, path_of(key), min, max);
}
bool ObjectReader::boolean(const std::string& key, bool default_value) {
  const json* j = optional(key);
  if (!j) return default_value;
  if (!j->is_boolean()) fail_at(path_of(key), "expected true or false, got " + json_type_name(*j));
  return j->get<bool>();
}
Date ObjectReader::date(const std::string& key) { return read_date(required(key), path_of(key)); }
Fen ObjectReader::fen(const std::string& key, std::int64_t min) {
  return Fen(read_integer(required(key), path_of(key), min, INT64_MAX));
}
Ratio ObjectReader::ratio(const std::string& key) {
  return read_ratio(required(key), path_of(key));
}
const json& ObjectReader::array(const std::string& key) {
  const json& j = required(key);
  if (!j.is_array()) fail_at(path_of(key), "expected an array, got " + json_type_name(j));
  return j;
}
const json* ObjectReader::optional_array(const std::string& key) {
  const json* j = optional(key);
  if (j && !j->is_array()) fail_at(path_of(key), "expected an array, got " + json_type_name(*j));
  return j;
}
const json& ObjectReader::object(const std::string& key) {
  const json& j = required(key);
  if (!j.is_object()) fail_at(path_of(key), "expected an object, got " + json_type_name(j));
  return j;
}
const json* ObjectReader::optional_object(const std::string& key) {
  const json* j = optional(key);
  if (j && !j->is_object()) fail_at(path_of(key), "expected an object, got " + json_type_name(*j));
  return j;
}

void ObjectReader::done() {
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (read_.count(it.key())) continue;
    std::string expected;
    for (const auto& k : asked_) expected += (expected.empty() ? "" : ", ") + k;
    fail_at(path_of(it.key()),
            "unknown key" + (expected.empty() ? std::string(" (this object takes no keys)")
                                              : " (expected one of: " + expected + ")"));
  }
}

json parse_json_text(const std::string& text, const std::string& source) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann's message includes line and column: keep it, drop its prefix.
    std::string what = e.what();
    const auto pos = what.find("] ");
    throw PolicyError(
        source.empty() ? "(document)" : source,
        "not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
}

}  // namespace canbao::detail
