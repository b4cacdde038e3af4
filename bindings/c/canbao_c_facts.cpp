// The C ABI's listing of what a policy says about persons (include/canbao.h):
// its declared facts and the values it adds to the built-in lists. Same
// conventions as every entry (c_abi.hpp): a status, a thread-local message,
// no exception crosses; strings are owned by the policy.
#include <canbao.h>

#include <string>
#include <string_view>

#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/facts.hpp>
#include <canbao/person.hpp>

#include "c_abi.hpp"

static_assert(static_cast<int>(canbao::BuiltinList::insurance_status) ==
              CANBAO_LIST_INSURANCE_STATUS);
static_assert(static_cast<int>(canbao::BuiltinList::employment) == CANBAO_LIST_EMPLOYMENT);
static_assert(static_cast<int>(canbao::BuiltinList::flags) == CANBAO_LIST_FLAGS);
static_assert(canbao::kBuiltinListCount == CANBAO_LIST_FLAGS + 1);

using canbao::detail::fail;
using canbao::detail::guarded;
using canbao::detail::null_argument;

namespace {

canbao::BuiltinList builtin_list(uint32_t list) {
  if (list >= static_cast<uint32_t>(canbao::kBuiltinListCount)) {
    throw canbao::ArgumentError("list", std::to_string(list) +
                                            " is not a CANBAO_LIST_* value (insurance_status 0, "
                                            "employment 1, flags 2)");
  }
  return static_cast<canbao::BuiltinList>(list);
}

}  // namespace

extern "C" {

canbao_status canbao_policy_fact_count(const canbao_policy* policy, size_t* out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    if (policy == nullptr) return null_argument("policy");
    *out = canbao::detail::declared_facts(policy).size();
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_fact(const canbao_policy* policy, size_t index, canbao_fact_info* out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    if (policy == nullptr) return null_argument("policy");
    // Fields of later versions are appended: fill only what the caller's struct has.
    if (out->struct_size < sizeof(canbao_fact_info)) {
      return fail(CANBAO_INVALID_ARGUMENT, "out.struct_size",
                  std::to_string(out->struct_size) + " is below sizeof(canbao_fact_info) " +
                      std::to_string(sizeof(canbao_fact_info)) + ": set it before the call");
    }
    const canbao::FactDeclaration& f = canbao::detail::declared_fact(policy, index);
    out->id = f.id.c_str();
    out->name = f.name.c_str();
    out->column = f.column.c_str();
    out->type = static_cast<uint32_t>(f.type);
    out->has_default = f.default_value ? 1 : 0;
    out->default_value = f.default_value.value_or(0);
    out->min = f.min;
    out->max = f.max;
    out->value_count = f.values.size();
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_fact_value(const canbao_policy* policy, size_t index, size_t value,
                                       const char** id, const char** name) {
  return guarded([&] {
    if (policy == nullptr) return null_argument("policy");
    const canbao::FactDeclaration& f = canbao::detail::declared_fact(policy, index);
    if (value >= f.values.size()) {
      return fail(CANBAO_INVALID_ARGUMENT, "value",
                  std::to_string(value) + " is not below the " + std::to_string(f.values.size()) +
                      " values of fact \"" + f.id + "\"");
    }
    if (id != nullptr) *id = f.values[value].id.c_str();
    if (name != nullptr) *name = f.values[value].name.c_str();
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_fact_parse(const canbao_policy* policy, size_t index, const char* text,
                                       size_t len, int32_t* out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    if (policy == nullptr) return null_argument("policy");
    if (text == nullptr && len > 0) return null_argument("text");
    const canbao::FactDeclaration& f = canbao::detail::declared_fact(policy, index);
    std::string why;
    const auto v = f.parse(std::string_view(text == nullptr ? "" : text, len), &why);
    if (!v) throw canbao::InputError("text", why);  // canbao::Error masks ID numbers in it
    *out = *v;
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_list_value_count(const canbao_policy* policy, uint32_t list,
                                             size_t* out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    if (policy == nullptr) return null_argument("policy");
    const canbao::BuiltinList l = builtin_list(list);
    *out = static_cast<size_t>(canbao::detail::declared_facts(policy).builtin.count(l));
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_list_value(const canbao_policy* policy, uint32_t list, size_t code,
                                       const char** id, const char** name) {
  return guarded([&] {
    if (policy == nullptr) return null_argument("policy");
    const canbao::BuiltinList l = builtin_list(list);
    const canbao::BuiltinValues& values = canbao::detail::declared_facts(policy).builtin;
    const auto count = static_cast<size_t>(values.count(l));
    if (code >= count) {
      return fail(CANBAO_INVALID_ARGUMENT, "code",
                  std::to_string(code) + " is not below the " + std::to_string(count) +
                      " values of " + canbao::builtin_list_name(l));
    }
    // Built-in values: their static spelling (person.hpp), no name; added
    // values: the policy's strings.
    const auto builtin = static_cast<size_t>(canbao::BuiltinValues::builtin_count(l));
    const char* value_id = "";
    const char* value_name = "";
    if (code >= builtin) {
      const canbao::FactValueName& v = values.added(l).values[code - builtin];
      value_id = v.id.c_str();
      value_name = v.name.c_str();
    } else {
      switch (l) {
        case canbao::BuiltinList::insurance_status:
          value_id = canbao::insurance_status_name(static_cast<canbao::InsuranceStatus>(code));
          break;
        case canbao::BuiltinList::employment:
          value_id = canbao::employment_name(static_cast<canbao::Employment>(code));
          break;
        case canbao::BuiltinList::flags:
          value_id = canbao::person_flag_name(canbao::person_flag_at(static_cast<int>(code)));
          break;
      }
    }
    if (id != nullptr) *id = value_id;
    if (name != nullptr) *name = value_name;
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_list_value_parse(const canbao_policy* policy, uint32_t list,
                                             const char* text, size_t len, uint32_t* out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    if (policy == nullptr) return null_argument("policy");
    if (text == nullptr && len > 0) return null_argument("text");
    const canbao::BuiltinList l = builtin_list(list);
    const canbao::BuiltinValues& values = canbao::detail::declared_facts(policy).builtin;
    const std::string_view cell(text == nullptr ? "" : text, len);
    if (l == canbao::BuiltinList::flags) {
      std::string why;
      const auto bits = values.parse_flags(cell, &why);
      if (!bits) throw canbao::InputError("text", why);  // canbao::Error masks ID numbers in it
      *out = *bits;
      return CANBAO_OK;
    }
    const int code = values.code(l, cell);
    if (code < 0) {
      throw canbao::InputError("text", std::string("unknown ") + canbao::builtin_list_name(l) +
                                           " \"" + canbao::detail::excerpt(cell) +
                                           "\" (expected one of: " + values.names(l) + ")");
    }
    *out = static_cast<uint32_t>(code);
    return CANBAO_OK;
  });
}

}  // extern "C"
