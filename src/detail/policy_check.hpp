// The collector behind check_policy_text (policy_check.hpp). While a check
// runs on this thread, the policy readers record errors at safe boundaries
// (a section, an array element, an object's unknown keys) and go on; with no
// check running, guarded() simply runs its part, so load_policy still throws
// the first error unchanged. A part that failed is not used again: an array
// with a bad element fails as a whole, silently (Silent), and sections that
// refer to a failed one are skipped, so no error is a follow-on of another.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/policy_check.hpp>

#include <nlohmann/json.hpp>

namespace canbao::detail {

// Abandons a part whose errors are already recorded.
struct Silent {};
// The limit of diagnostics is reached: unwinds the whole check.
struct CheckFull {};

class CheckCollector {
 public:
  explicit CheckCollector(PolicyCheck& out, std::size_t limit);
  ~CheckCollector();
  CheckCollector(const CheckCollector&) = delete;
  CheckCollector& operator=(const CheckCollector&) = delete;

  // Throws CheckFull once the limit is passed.
  void add(Severity severity, std::string path, std::string message);
  bool has_errors() const { return errors_ > 0; }

  // Metrics and units whose entry failed: kept out of (metrics) or in as a
  // placeholder (units, so indices stay JSON indices); what refers to them
  // is not checked again.
  std::set<std::string> failed_metrics;
  std::set<std::string> failed_units;

 private:
  PolicyCheck& out_;
  std::size_t limit_;
  std::size_t errors_ = 0;
  CheckCollector* previous_;
};

// The collector of the check running on this thread, or nullptr.
CheckCollector* active_check();

// Runs `part`. Loading: returns true or lets the error out. Checking: records
// a canbao::Error and returns false.
template <class F>
bool guarded(F&& part) {
  CheckCollector* c = active_check();
  if (!c) {
    std::forward<F>(part)();
    return true;
  }
  try {
    std::forward<F>(part)();
    return true;
  } catch (const Error& e) {
    c->add(Severity::error, e.where(), e.message());
  } catch (const Silent&) {
  }
  return false;
}

// After a loop of guarded elements: a list with a bad element is not used.
inline void end_elements(bool all_ok) {
  if (!all_ok) throw Silent{};
}

// Checking: a metric or unit whose entry failed. Always false when loading.
inline bool failed_metric(const std::string& id) {
  const CheckCollector* c = active_check();
  return c && c->failed_metrics.count(id) > 0;
}
inline bool failed_unit(const std::string& id) {
  const CheckCollector* c = active_check();
  return c && c->failed_units.count(id) > 0;
}
inline bool any_failed_unit() {
  const CheckCollector* c = active_check();
  return c && !c->failed_units.empty();
}
// Abandons, unreported, a part that refers to something that already failed.
inline void skip_follow_on(bool refers_to_failed) {
  if (refers_to_failed) throw Silent{};
}

// The "id" of an array element that failed, when it is readable ("" if not).
inline std::string readable_id(const nlohmann::json& element, const char* key = "id") {
  if (!element.is_object()) return "";
  auto it = element.find(key);
  return it != element.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace canbao::detail

namespace canbao::detail {

// The consistency warnings of a policy that loaded (policy_warnings.cpp).
std::vector<PolicyDiagnostic> policy_warnings(const Policy& policy);

}  // namespace canbao::detail
