// Internal: a call_json request as read by every op (json_api.cpp) and the
// parts several ops share (persons, progress), read in json_request.cpp.
// Request fields are input, not policy: errors are InputErrors at the field's
// path ("request.as_of: ..."). Facade layer: only call_json uses it.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <canbao/error.hpp>
#include <canbao/facts.hpp>
#include <canbao/person.hpp>
#include <canbao/policy.hpp>
#include <canbao/progress.hpp>

#include "json_reader.hpp"

namespace canbao::detail::request {

using nlohmann::json;

// Request fields are input, not policy: the strict reader's PolicyErrors
// become InputErrors with the same path ("request.as_of: ...").
template <class F>
auto as_input(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const PolicyError& e) {
    throw InputError(e.where(), e.message());
  }
}

class Request {
 public:
  explicit Request(const json& j)
      : reader_(as_input([&] { return detail::ObjectReader(j, "request"); })) {}

  std::string path_of(const std::string& key) const { return reader_.path_of(key); }
  std::string string(const std::string& key) {
    return as_input([&] { return reader_.string(key); });
  }
  std::optional<std::string> optional_string(const std::string& key) {
    return as_input([&] { return reader_.optional_string(key); });
  }
  Date date(const std::string& key) {
    const Date d = as_input([&] { return reader_.date(key); });
    // Every evaluation (retirement, the batch's day offsets) is defined on
    // this range only; a later day is the caller's input error, said plainly.
    if (!is_supported_date(d)) throw InputError(path_of(key), unsupported_date_message(d));
    return d;
  }
  std::optional<std::int64_t> optional_integer(const std::string& key, std::int64_t min,
                                               std::int64_t max) {
    return as_input([&] { return reader_.optional_integer(key, min, max); });
  }
  const json& required(const std::string& key) {
    return as_input([&]() -> const json& { return reader_.required(key); });
  }
  const json* optional(const std::string& key) {
    return as_input([&] { return reader_.optional(key); });
  }
  void done() {
    as_input([&] {
      reader_.done();
      return 0;
    });
  }

 private:
  detail::ObjectReader reader_;
};

// The policy's declared facts (none without a recommendation section).
const FactDeclarations& declared_facts(const Policy& p);
bool read_bool(const json& j, const std::string& path);
std::string read_text(const json& j, const std::string& path);
// A person's facts (person.hpp) at `path`: sex and birth_date unless
// id_number gives them, the declared facts by the policy's declarations.
Person read_person(const json& j, const std::string& path, const FactDeclarations& facts);
// A non-owning PolicyPtr for the length of one call.
PolicyPtr borrow(const Policy& policy);
// `key` naming a file is refused: requests carry data, the host reads files.
void reject_file_key(Request& r, const std::string& key, const std::string& instead);
// Progress from exactly one of "progress" (records) or "progress_csv" (text).
Progress read_progress(const Policy& policy, Request& r);

}  // namespace canbao::detail::request
