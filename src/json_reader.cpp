#include "detail/json_reader.hpp"

#include <algorithm>
#include <unordered_set>

#include <canbao/detail/message_text.hpp>

#include "detail/did_you_mean.hpp"
#include "detail/policy_check.hpp"

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

// Keys are user text: a path quotes at most an excerpt of each.
std::string path_key(const std::string& path, const std::string& key) {
  return path.empty() ? excerpt(key) : path + "." + excerpt(key);
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
  if (it == object_.end()) {
    // A misspelling of the key is named in the same message (then done() is
    // never reached, so the misspelling is not reported a second time).
    std::set<std::string> unread;
    for (auto k = object_.begin(); k != object_.end(); ++k) {
      if (!read_.count(k.key())) unread.insert(k.key());
    }
    for (const auto& typo : closest_names(key, unread)) {
      fail_at(path_of(key), "required key \"" + key + "\" is missing (did you mean \"" +
                                excerpt(typo) + "\" at " +
                                (path_.empty() ? std::string("the top level") : path_) + "?)");
    }
    fail_at(path_of(key), "required key is missing");
  }
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
  // Loading stops at the first unknown key; a check records them all.
  bool unknown = false;
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (read_.count(it.key())) continue;
    std::string expected;
    for (const auto& k : asked_) expected += (expected.empty() ? "" : ", ") + k;
    const std::string hint = did_you_mean(closest_names(it.key(), asked_));
    const bool ok = guarded([&] {
      fail_at(path_of(it.key()), "unknown key" + (hint.empty() ? std::string() : ", " + hint) +
                                     (expected.empty() ? std::string(" (this object takes no keys)")
                                                       : " (expected one of: " + expected + ")"));
    });
    unknown = unknown || !ok;
  }
  end_elements(!unknown);
}

namespace {

std::string where_of(const std::string& source) { return source.empty() ? "(document)" : source; }

// "line L, column C" of byte `offset` (1-based, columns in bytes as nlohmann counts them).
std::string position_of(const std::string& text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Before parsing: a NUL would end nlohmann's input silently, and nesting
// deeper than kMaxJsonDepth would later overflow the stack in recursive
// copies. One pass over the bytes, skipping strings.
void check_bytes_and_depth(const std::string& text, const std::string& source) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0') {
      throw PolicyError(where_of(source), "NUL byte at " + position_of(text, i) +
                                              " (the text must not contain byte 0)");
    }
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        throw PolicyError(where_of(source), "nesting deeper than " + std::to_string(kMaxJsonDepth) +
                                                " levels at " + position_of(text, i));
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

// A SAX handler that builds the document like json::parse and rejects
// duplicate keys (nlohmann keeps the last one silently), naming the path it
// tracks itself. Not a parser callback: with a callback nlohmann rescans the
// enclosing array at every object's end, quadratic in a 200,000-unit policy.
class StrictDomBuilder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  StrictDomBuilder(json& result, std::string root) : dom_(result), root_(std::move(root)) {}
  // The elements of the array at the top-level key `key` go to `sink` instead
  // of the DOM, which gets an empty array there (detail/unit_stream.hpp).
  StrictDomBuilder(json& result, std::string key, json::json_sax_t& sink)
      : dom_(result), divert_key_(std::move(key)), sink_(&sink) {}

  bool null() { return diverting_ ? sink_->null() : (element(), dom_.null()); }
  bool boolean(bool v) { return diverting_ ? sink_->boolean(v) : (element(), dom_.boolean(v)); }
  bool number_integer(number_integer_t v) {
    return diverting_ ? sink_->number_integer(v) : (element(), dom_.number_integer(v));
  }
  bool number_unsigned(number_unsigned_t v) {
    return diverting_ ? sink_->number_unsigned(v) : (element(), dom_.number_unsigned(v));
  }
  bool number_float(number_float_t v, const string_t& s) {
    return diverting_ ? sink_->number_float(v, s) : (element(), dom_.number_float(v, s));
  }
  bool string(string_t& v) { return diverting_ ? sink_->string(v) : (element(), dom_.string(v)); }
  bool binary(binary_t& v) { return diverting_ ? sink_->binary(v) : (element(), dom_.binary(v)); }
  bool start_object(std::size_t n) {
    if (diverting_) return ++nested_, sink_->start_object(n);
    element();
    push(true);
    return dom_.start_object(n);
  }
  bool key(string_t& k) {
    if (diverting_) return sink_->key(k);
    Frame& f = frames_[depth_ - 1];
    // Objects have a handful of keys: a scan of those seen beats a tree, and
    // the frames' vectors are reused, so a 700,000-unit array allocates no
    // per-object set (issue 15).
    if (std::find(f.keys.begin(), f.keys.end(), k) != f.keys.end())
      fail_at(path_key(path(), k), "duplicate key");
    if (f.keys.size() >= kScanKeys) {
      if (f.many.empty()) f.many.insert(f.keys.begin(), f.keys.end());
      if (!f.many.insert(k).second) fail_at(path_key(path(), k), "duplicate key");
    } else {
      f.keys.push_back(k);
    }
    f.key = k;
    return dom_.key(k);
  }
  bool end_object() {
    if (diverting_) return --nested_, sink_->end_object();
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) {
    if (diverting_) return ++nested_, sink_->start_array(n);
    element();
    push(false);
    // Once: a repeated key is an error at its key() already.
    if (sink_ && depth_ == 2 && frames_[0].object && frames_[0].key == divert_key_) {
      diverting_ = true;
      nested_ = 0;
    }
    return dom_.start_array(n);
  }
  bool end_array() {
    if (diverting_) {
      if (nested_ > 0) return --nested_, sink_->end_array();
      diverting_ = false;
      sink_ = nullptr;  // once
    }
    --depth_;
    return dom_.end_array();
  }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& token, const Exception& e) {
    return dom_.parse_error(position, token, e);  // throws e
  }

 private:
  static constexpr std::size_t kScanKeys = 16;
  struct Frame {
    bool object = false;
    std::vector<std::string> keys;         // the first kScanKeys keys
    std::unordered_set<std::string> many;  // all keys, once there are more
    std::string key;                       // the current member's key (objects)
    std::size_t index = 0;                 // the current element's index (arrays)
    bool started = false;
  };

  void push(bool object) {
    if (depth_ == frames_.size()) frames_.emplace_back();
    Frame& f = frames_[depth_++];
    f.object = object;
    f.keys.clear();
    f.many.clear();
    f.key.clear();
    f.index = 0;
    f.started = false;
  }

  void element() {
    if (depth_ == 0 || frames_[depth_ - 1].object) return;
    Frame& f = frames_[depth_ - 1];
    if (f.started) ++f.index;
    f.started = true;
  }

  // Path of the innermost open object or array.
  std::string path() const {
    std::string p = root_;
    for (std::size_t i = 0; i + 1 < depth_; ++i) {
      p = frames_[i].object ? path_key(p, frames_[i].key) : path_index(p, frames_[i].index);
    }
    return p;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::string root_;
  std::string divert_key_;
  json::json_sax_t* sink_ = nullptr;  // where a diverted array's elements go (null: none, or done)
  bool diverting_ = false;
  std::size_t nested_ = 0;     // open objects and arrays inside the diverted array
  std::vector<Frame> frames_;  // frames_[0 .. depth_) are open
  std::size_t depth_ = 0;
};

// nlohmann's syntax error, without its id prefix and with the token it quotes
// ("last read: '...'") cut to an excerpt.
std::string syntax_reason(const json::parse_error& e) {
  std::string what = e.what();
  const auto id_end = what.find("] ");
  if (id_end != std::string::npos) what = what.substr(id_end + 2);
  const std::string marker = "; last read: '";
  const auto start = what.find(marker);
  if (start == std::string::npos) return what;
  const auto token_begin = start + marker.size();
  auto token_end = what.rfind("'; expected ");
  if (token_end == std::string::npos || token_end < token_begin) token_end = what.size() - 1;
  if (token_end < token_begin) return what;
  return what.substr(0, token_begin) +
         excerpt(std::string_view(what).substr(token_begin, token_end - token_begin)) +
         what.substr(token_end);
}

}  // namespace

namespace {

template <class Builder>
json parse_with(const std::string& text, const std::string& source, Builder&& make) {
  check_bytes_and_depth(text, source);
  try {
    json result;
    StrictDomBuilder builder = make(result);
    json::sax_parse(text, &builder);
    return result;
  } catch (const json::parse_error& e) {
    throw PolicyError(where_of(source), "not valid JSON: " + syntax_reason(e));
  } catch (const json::exception& e) {
    // out_of_range 406: "number overflow parsing '1e9946'" (no position given).
    const std::string what = e.what();
    const auto open = what.find('\'');
    const auto close = what.rfind('\'');
    std::string number;
    if (open != std::string::npos && close > open) {
      number = " '" + excerpt(std::string_view(what).substr(open + 1, close - open - 1)) + "'";
    }
    throw PolicyError(where_of(source), "not valid JSON: number out of range" + number);
  }
}

}  // namespace

json parse_json_text(const std::string& text, const std::string& source, const std::string& root) {
  return parse_with(text, source, [&root](json& result) { return StrictDomBuilder(result, root); });
}

json parse_json_text_diverting(const std::string& text, const std::string& source,
                               const std::string& key, json::json_sax_t& sink) {
  return parse_with(text, source,
                    [&](json& result) { return StrictDomBuilder(result, key, sink); });
}

}  // namespace canbao::detail
