// Inline units read while the policy JSON is parsed (detail/unit_stream.hpp):
// a SAX sink for the elements of the "units" array that fills Units directly,
// as read_unit_fast (unit_tree.cpp) reads the same units from a DOM.
#include "detail/unit_stream.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <memory>

#include "detail/json_reader.hpp"
#include "detail/model_access.hpp"
#include "detail/policy_reader.hpp"
#include "detail/unit_memory.hpp"
#include "detail/unit_places.hpp"

namespace canbao::detail {

namespace {

using json = nlohmann::json;

// Members of a unit the stream reads (a bit each in UnitSink::seen_).
enum Field : unsigned {
  kNone = 0,
  kId,
  kName,
  kLevel,
  kParent,
  kSource,
  kTargets,
  kBases,
  kAllocate
};

Field field_of(const std::string& key) {
  static const char* const names[] = {"",       "id",      "name",  "level",   "parent",
                                      "source", "targets", "bases", "allocate"};
  for (unsigned f = kId; f <= kAllocate; ++f)
    if (key == names[f]) return static_cast<Field>(f);
  return kNone;
}

[[noreturn]] void fall_back() { throw StreamFallback{}; }

class UnitSink final : public json::json_sax_t {
 public:
  explicit UnitSink(StreamedUnits& out) : out_(out) {}

  bool null() override {
    if (alloc_) return alloc_->null();
    // A null parent, source, targets or bases is no value, as for read_unit_fast.
    if (in_ != In::unit ||
        !(field_ == kParent || field_ == kSource || field_ == kTargets || field_ == kBases))
      fall_back();
    field_ = kNone;
    return true;
  }
  bool boolean(bool v) override { return alloc_ ? alloc_->boolean(v) : (fall_back(), false); }
  bool number_integer(number_integer_t v) override {
    if (alloc_) return alloc_->number_integer(v);
    // Negative, the careful reader's error; "-0" is 0 (read_unit_fast's `whole`).
    if (v < 0) fall_back();
    return number(static_cast<std::int64_t>(v));
  }
  bool number_unsigned(number_unsigned_t v) override {
    if (alloc_) return alloc_->number_unsigned(v);
    if (v > static_cast<number_unsigned_t>(INT64_MAX)) fall_back();
    return number(static_cast<std::int64_t>(v));
  }
  bool number_float(number_float_t v, const string_t& s) override {
    return alloc_ ? alloc_->number_float(v, s) : (fall_back(), false);
  }
  bool string(string_t& v) override {
    if (alloc_) return alloc_->string(v);
    if (in_ != In::unit || v.empty()) fall_back();
    Unit& u = out_.units.back();
    switch (field_) {
      case kId:
        u.id = v;
        break;
      case kName:
        u.name = v;
        break;
      case kLevel:
        u.level = v;
        break;
      case kParent:
        u.parent = v;
        break;
      case kSource:
        u.source = v;
        break;
      default:
        fall_back();
    }
    field_ = kNone;
    return true;
  }
  bool binary(binary_t&) override { return fall_back(), false; }
  bool start_object(std::size_t n) override {
    if (alloc_) {
      alloc_keys_.emplace_back();
      return ++alloc_depth_, alloc_->start_object(n);
    }
    if (in_ == In::array) {
      out_.units.emplace_back();
      in_ = In::unit;
      seen_ = 0;
    } else if (in_ == In::unit && (field_ == kTargets || field_ == kBases)) {
      in_ = field_ == kTargets ? In::targets : In::bases;
      keys_read_ = 0;
    } else {
      fall_back();
    }
    field_ = kNone;
    return true;
  }
  bool key(string_t& k) override {
    if (alloc_) {
      // A repeated key: the DOM reader names it (nlohmann's DOM keeps the last).
      auto& seen = alloc_keys_.back();
      if (std::find(seen.begin(), seen.end(), k) != seen.end()) fall_back();
      seen.push_back(k);
      return alloc_->key(k);
    }
    if (in_ == In::unit) {
      const Field f = field_of(k);
      if (f == kNone || (seen_ & (1u << f))) fall_back();  // unknown or repeated
      seen_ |= 1u << f;
      field_ = f;
    } else {
      const auto read = keys_.begin() + static_cast<std::ptrdiff_t>(keys_read_);
      if (std::find(keys_.begin(), read, k) != read) fall_back();
      // Assigned over an earlier unit's key: no allocation a key.
      if (keys_read_ < keys_.size())
        keys_[keys_read_] = k;
      else
        keys_.push_back(k);
      ++keys_read_;
    }
    return true;
  }
  bool end_object() override {
    if (alloc_) return end_allocate_value(alloc_->end_object(), true);
    if (in_ == In::targets || in_ == In::bases) {
      if (in_ == In::targets) {
        // Sized once from the targets read (no regrowth), their names moved.
        Unit& u = out_.units.back();
        u.targets.assign(std::make_move_iterator(targets_.begin()),
                         std::make_move_iterator(targets_.end()));
        targets_.clear();
      }
      in_ = In::unit;
      return true;
    }
    // id, name and level are required; the rest as the DOM reader orders them (by key).
    constexpr unsigned required = (1u << kId) | (1u << kName) | (1u << kLevel);
    if ((seen_ & required) != required) fall_back();
    Unit& u = out_.units.back();
    std::sort(u.targets.begin(), u.targets.end(),
              [](const Target& x, const Target& y) { return x.metric < y.metric; });
    std::sort(u.bases.begin(), u.bases.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    in_ = In::array;
    return true;
  }
  bool start_array(std::size_t n) override {
    if (alloc_) return ++alloc_depth_, alloc_->start_array(n);
    if (in_ != In::unit || field_ != kAllocate) fall_back();
    field_ = kNone;
    allocate_ = json();
    alloc_ = std::make_unique<nlohmann::detail::json_sax_dom_parser<json>>(allocate_);
    alloc_depth_ = 1;
    alloc_keys_.clear();
    return alloc_->start_array(n);
  }
  bool end_array() override {
    if (!alloc_) fall_back();
    return end_allocate_value(alloc_->end_array(), false);
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    fall_back();  // the DOM reader reports it
  }

 private:
  enum class In { array, unit, targets, bases };

  bool number(std::int64_t n) {
    Unit& u = out_.units.back();
    if (in_ == In::targets) {
      targets_.push_back(
          ModelAccess::target(keys_[keys_read_ - 1], -1, Ratio(n), TargetOrigin::given));
    } else if (in_ == In::bases) {
      u.bases.emplace_back(keys_[keys_read_ - 1], n);
    } else {
      fall_back();
    }
    return true;
  }

  bool end_allocate_value(bool ok, bool object) {
    if (object) alloc_keys_.pop_back();
    if (--alloc_depth_ == 0) {
      out_.allocate.emplace_back(out_.units.size() - 1, std::move(allocate_));
      alloc_.reset();
    }
    return ok;
  }

  StreamedUnits& out_;
  In in_ = In::array;
  Field field_ = kNone;            // in a unit: the member whose value comes next
  unsigned seen_ = 0;              // in a unit: the members read, a bit each
  std::vector<std::string> keys_;  // in targets or bases: the keys read (the first keys_read_)
  std::size_t keys_read_ = 0;
  std::vector<Target> targets_;  // the targets of the object being read
  // A unit's "allocate" array, built as JSON for read_allocations.
  json allocate_;
  std::unique_ptr<nlohmann::detail::json_sax_dom_parser<json>> alloc_;
  std::size_t alloc_depth_ = 0;
  std::vector<std::vector<std::string>> alloc_keys_;  // each open object's keys
};

// Units have an "id" each: its count bounds the units (other objects have one
// too), so the units are made in place without regrowth.
// (A skipping search, not std::string::find: that compares at every quote of 93 MB.)
std::size_t ids_in(const std::string& text) {
  static const char kId[] = "\"id\"";
  const std::boyer_moore_horspool_searcher<const char*> id(kId, kId + 4);
  std::size_t n = 0;
  const char* at = text.data();
  const char* const end = at + text.size();
  while ((at = std::search(at, end, id)) != end) {
    ++n;
    at += 4;
  }
  return n;
}

}  // namespace

json parse_policy_streaming_units(const std::string& text, const std::string& source,
                                  StreamedUnits& out) {
  reserve_huge(out.units, ids_in(text));  // 272 bytes a unit: 200 MB at 700,000
  UnitSink sink(out);
  try {
    json doc = parse_json_text_diverting(text, source, "units", sink);
    out.streamed = doc.is_object() && doc.contains("units") && doc["units"].is_array();
    return doc;
  } catch (const Error&) {
    // A syntax error or a repeated key: found and named by the DOM reader.
    throw StreamFallback{};
  }
}

UnitTree read_streamed_units(StreamedUnits& streamed, const std::string& path, const Policy& p) {
  if (streamed.units.empty()) fall_back();  // "a policy needs at least one unit"
  UnitTree tree;
  tree.units = std::move(streamed.units);
  ModelAccess::reserve_index(tree, tree.units.size());
  for (std::size_t i = 0; i < tree.units.size(); ++i) {
    Unit& u = tree.units[i];
    for (Target& t : u.targets) {
      const int mi = p.metric_index(t.metric);
      // Not a count metric's whole number: the careful reader (read_unit_fields).
      if (mi < 0 || p.metrics[static_cast<std::size_t>(mi)].kind != MetricKind::count) fall_back();
      ModelAccess::metric_index(t) = mi;
    }
    if (ModelAccess::add_to_index(tree, static_cast<int>(i)) >= 0) fall_back();  // a repeated id
  }
  for (auto& [i, alloc] : streamed.allocate) {
    try {
      tree.units[i].allocations =
          read_allocations(alloc, path_key(path_index(path, i), "allocate"), p);
    } catch (...) {
      fall_back();  // an error (or a check's full collector): the careful reader's
    }
  }
  UnitPlaces places;
  places.path = path;
  finish_units(tree, p, places);
  return tree;
}

}  // namespace canbao::detail
