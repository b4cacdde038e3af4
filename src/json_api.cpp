// call_json: request dispatch and result -> JSON writers. Evaluation code
// never sees JSON; this file only reads requests and writes results.
#include <canbao/json_api.hpp>

#include <algorithm>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include <canbao/calendar.hpp>
#include <canbao/error.hpp>
#include <canbao/version.hpp>

#include "detail/json_reader.hpp"

namespace canbao {
namespace {

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
    return as_input([&] { return reader_.date(key); });
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

// ---- result writers -------------------------------------------------------

json phase_json(const Phase& p) {
  json j = json::object();
  j["id"] = p.id;
  j["name"] = p.name;
  j["start"] = p.start.date.iso();
  j["end"] = p.end.date.iso();
  if (!p.source.empty()) j["source"] = p.source;
  return j;
}

// ---- ops --------------------------------------------------------------------

using OpFn = json (*)(const Policy*, Request&);

struct Op {
  bool needs_policy;
  OpFn run;
};

json op_version(const Policy*, Request& r) {
  r.done();
  return json{{"version", CANBAO_VERSION_STRING}};
}

json op_policy(const Policy* p, Request& r) {
  r.done();
  return json::parse(to_json(*p, -1));
}

json op_fingerprint(const Policy* p, Request& r) {
  r.done();
  return json(p->fingerprint);
}

json op_phases_on(const Policy* p, Request& r) {
  const Date day = r.date("date");
  r.done();
  json out = json::array();
  for (const Phase* phase : phases_on(p->campaign, day)) out.push_back(phase_json(*phase));
  return out;
}

json op_ops(const Policy*, Request& r);

const std::map<std::string, Op>& ops() {
  static const std::map<std::string, Op> table = {
      {"fingerprint", {true, op_fingerprint}},
      {"ops", {false, op_ops}},
      {"phases_on", {true, op_phases_on}},
      {"policy", {true, op_policy}},
      {"version", {false, op_version}},
  };
  return table;
}

json op_ops(const Policy*, Request& r) {
  r.done();
  return json(json_ops());
}

std::string op_list() {
  std::string s;
  for (const auto& [name, op] : ops()) s += (s.empty() ? "" : ", ") + name;
  return s;
}

}  // namespace

std::vector<std::string> json_ops() {
  std::vector<std::string> names;
  for (const auto& [name, op] : ops()) names.push_back(name);
  return names;
}

std::string call_json(const Policy& policy, const std::string& request) {
  return call_json(&policy, request);
}

std::string call_json(const Policy* policy, const std::string& request) {
  const json j = as_input([&] { return detail::parse_json_text(request, "request"); });
  if (!j.is_object()) {
    throw InputError("request", "expected a JSON object, got " + detail::json_type_name(j));
  }
  Request r(j);
  const std::string name = r.string("op");
  const auto it = ops().find(name);
  if (it == ops().end()) {
    throw InputError("request.op", "unknown op \"" + name + "\" (expected one of: " + op_list() + ")");
  }
  if (it->second.needs_policy && policy == nullptr) {
    throw ArgumentError("policy", "op \"" + name + "\" needs a policy, got none");
  }
  return it->second.run(policy, r).dump();
}

}  // namespace canbao
