// What the C ABI's files (bindings/c/*.cpp) share: the policy handle and the
// helpers every extern "C" body uses. Internal: not installed; the names are
// in canbao::detail, which the library never exports (cmake/canbao.map).
#pragma once

#include <canbao.h>

#include <cstddef>
#include <exception>
#include <new>
#include <optional>
#include <string>

#include <canbao/error.hpp>
#include <canbao/facts.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>

// The policy and, when it has a recommendation section, its Recommender
// (which keeps the batch tables of the last few as-of dates).
struct canbao_policy {
  canbao::PolicyPtr policy;
  std::optional<canbao::Recommender> recommender;
};

namespace canbao::detail {

// Records the thread's last error ("where: message") and returns `status`.
canbao_status fail(canbao_status status, const std::string& where, const std::string& message);
canbao_status null_argument(const char* name);
// Wraps a loaded policy in a handle for *out (with its Recommender); CANBAO_OK.
canbao_status give_policy(PolicyPtr policy, canbao_policy** out);

// Runs `body` (which returns a canbao_status) and turns every exception into one.
template <class F>
canbao_status guarded(F&& body) noexcept {
  try {
    return body();
  } catch (const canbao::Error& e) {
    return fail(static_cast<canbao_status>(e.kind()), e.where(), e.message());
  } catch (const std::bad_alloc&) {
    return fail(CANBAO_OUT_OF_MEMORY, "", "out of memory");
  } catch (const std::exception& e) {
    return fail(CANBAO_INTERNAL, "", std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(CANBAO_INTERNAL, "", "internal error: unknown exception");
  }
}

// ArgumentError when the policy has no recommendation section.
const Recommender& recommender_of(const canbao_policy* policy);
// The facts a policy declares and the values it adds to the built-in lists
// (none without a recommendation section).
const FactDeclarations& declared_facts(const canbao_policy* policy);
// Declared fact `index`; ArgumentError naming "index" when out of range.
const FactDeclaration& declared_fact(const canbao_policy* policy, std::size_t index);

}  // namespace canbao::detail
