// The C ABI (include/canbao.h) over the C++ API. Every extern "C" body runs
// inside guarded(): no exception crosses the boundary, every failure becomes
// a status plus a thread-local message.
#include <canbao.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include <canbao/date.hpp>
#include <canbao/error.hpp>
#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/version.hpp>  // redefines CANBAO_VERSION_*: a mismatch with canbao.h fails to compile

static_assert(static_cast<int>(canbao::ErrorKind::invalid_argument) == CANBAO_INVALID_ARGUMENT);
static_assert(static_cast<int>(canbao::ErrorKind::policy) == CANBAO_POLICY_ERROR);
static_assert(static_cast<int>(canbao::ErrorKind::input) == CANBAO_INPUT_ERROR);
static_assert(static_cast<int>(canbao::ErrorKind::overflow) == CANBAO_OVERFLOW);
static_assert(static_cast<int>(canbao::ErrorKind::internal) == CANBAO_INTERNAL);

struct canbao_policy {
  canbao::PolicyPtr policy;
};

namespace canbao::detail {
namespace {

struct LastError {
  canbao_status status = CANBAO_OK;
  std::string message;
  std::string where;
};

LastError& last_error() {
  static thread_local LastError e;
  return e;
}

canbao_status fail(canbao_status status, const std::string& where, const std::string& message) {
  LastError& e = last_error();
  e.status = status;
  try {
    e.where = where;
    e.message = where.empty() ? message : where + ": " + message;
  } catch (...) {
    e.where.clear();
    e.message.clear();  // never NULL: "" is still a valid answer
  }
  return status;
}

canbao_status null_argument(const char* name) {
  return fail(CANBAO_INVALID_ARGUMENT, name, "must not be NULL");
}

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

// A malloc'ed copy the caller frees with canbao_string_free.
char* copy_out(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

canbao_status give_policy(canbao::PolicyPtr policy, canbao_policy** out) {
  *out = new canbao_policy{std::move(policy)};
  return CANBAO_OK;
}

}  // namespace
}  // namespace canbao::detail

using canbao::detail::copy_out;
using canbao::detail::fail;
using canbao::detail::guarded;
using canbao::detail::null_argument;

extern "C" {

const char* canbao_version(void) { return CANBAO_VERSION_STRING; }
unsigned canbao_version_number(void) { return CANBAO_VERSION_NUMBER; }
unsigned canbao_abi_version(void) { return CANBAO_ABI_VERSION; }

const char* canbao_status_name(canbao_status status) {
  switch (status) {
    case CANBAO_OK: return "ok";
    case CANBAO_INVALID_ARGUMENT: return "invalid_argument";
    case CANBAO_POLICY_ERROR: return "policy_error";
    case CANBAO_INPUT_ERROR: return "input_error";
    case CANBAO_OVERFLOW: return "overflow";
    case CANBAO_OUT_OF_MEMORY: return "out_of_memory";
    case CANBAO_INTERNAL: return "internal";
  }
  return "unknown";
}

const char* canbao_last_error(void) { return canbao::detail::last_error().message.c_str(); }
const char* canbao_last_error_where(void) { return canbao::detail::last_error().where.c_str(); }
canbao_status canbao_last_error_status(void) { return canbao::detail::last_error().status; }

canbao_status canbao_abi_check(unsigned header_abi_version) {
  return guarded([&] {
    if (header_abi_version != CANBAO_ABI_VERSION) {
      return fail(CANBAO_INVALID_ARGUMENT, "header_abi_version",
                  "the program was compiled against canbao ABI " +
                      std::to_string(header_abi_version) + " but the loaded library " +
                      CANBAO_VERSION_STRING + " speaks ABI " + std::to_string(CANBAO_ABI_VERSION));
    }
    return CANBAO_OK;
  });
}

void canbao_string_free(char* string) { std::free(string); }

canbao_status canbao_date_from_ymd(int year, int month, int day, int32_t* out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    const auto d = canbao::Date::from_ymd(year, month, day);
    if (!d) {
      return fail(CANBAO_INPUT_ERROR, "date",
                  std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day) +
                      " is not a date");
    }
    *out = d->day_number();
    return CANBAO_OK;
  });
}

canbao_status canbao_date_to_ymd(int32_t day_number, int* year, int* month, int* day) {
  return guarded([&] {
    if (year == nullptr) return null_argument("year");
    if (month == nullptr) return null_argument("month");
    if (day == nullptr) return null_argument("day");
    // Years 1..9999: 0001-01-01 is day -719162, 9999-12-31 is day 2932896.
    if (day_number < -719162 || day_number > 2932896) {
      return fail(CANBAO_INPUT_ERROR, "day_number",
                  std::to_string(day_number) + " is outside years 1..9999");
    }
    const auto ymd = canbao::Date::from_day_number(day_number).ymd();
    *year = ymd.year;
    *month = ymd.month;
    *day = ymd.day;
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_from_json(const char* json, size_t len, canbao_policy** out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    *out = nullptr;
    if (json == nullptr) return null_argument("json");
    return canbao::detail::give_policy(canbao::load_policy(std::string(json, len)), out);
  });
}

canbao_status canbao_policy_from_file(const char* path, canbao_policy** out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    *out = nullptr;
    if (path == nullptr) return null_argument("path");
    return canbao::detail::give_policy(canbao::load_policy_file(path), out);
  });
}

void canbao_policy_free(canbao_policy* policy) { delete policy; }

canbao_status canbao_policy_fingerprint(const canbao_policy* policy, const char** out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    *out = nullptr;
    if (policy == nullptr) return null_argument("policy");
    *out = policy->policy->fingerprint.c_str();
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_to_json(const canbao_policy* policy, char** out, size_t* len) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    *out = nullptr;
    if (policy == nullptr) return null_argument("policy");
    const std::string text = canbao::to_json(*policy->policy);
    *out = copy_out(text);
    if (len != nullptr) *len = text.size();
    return CANBAO_OK;
  });
}

canbao_status canbao_call_json(const canbao_policy* policy, const char* request, size_t len,
                               char** response) {
  return guarded([&] {
    if (response == nullptr) return null_argument("response");
    *response = nullptr;
    if (request == nullptr) return null_argument("request");
    const std::string answer =
        canbao::call_json(policy == nullptr ? nullptr : policy->policy.get(), std::string(request, len));
    *response = copy_out(answer);
    return CANBAO_OK;
  });
}

}  // extern "C"
