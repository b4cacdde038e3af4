// The C ABI (include/canbao.h) over the C++ API. Every extern "C" body runs
// inside guarded(): no exception crosses the boundary, every failure becomes
// a status plus a thread-local message.
//
// The helpers every entry shares (guarded, fail, recommender_of, the policy
// handle) are declared in c_abi.hpp; the listing of a policy's declared facts
// and built-in value lists is in canbao_c_facts.cpp. The column-by-name table
// entry and its column resolution stay here for now.
#include <canbao.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <canbao/batch.hpp>
#include <canbao/date.hpp>
#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>
#include <canbao/facts.hpp>
#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommender.hpp>
#include "../../src/detail/json_call.hpp"
#include "c_abi.hpp"

#include <canbao/version.hpp>  // redefines CANBAO_VERSION_*: a mismatch with canbao.h fails to compile

static_assert(static_cast<int>(canbao::ErrorKind::invalid_argument) == CANBAO_INVALID_ARGUMENT);
static_assert(static_cast<int>(canbao::ErrorKind::policy) == CANBAO_POLICY_ERROR);
static_assert(static_cast<int>(canbao::ErrorKind::input) == CANBAO_INPUT_ERROR);
static_assert(static_cast<int>(canbao::ErrorKind::overflow) == CANBAO_OVERFLOW);
static_assert(static_cast<int>(canbao::ErrorKind::internal) == CANBAO_INTERNAL);
static_assert(static_cast<int>(canbao::Sex::female) == CANBAO_SEX_FEMALE);
static_assert(static_cast<int>(canbao::InsuranceStatus::receiving_pension) ==
              CANBAO_INSURANCE_RECEIVING_PENSION);
static_assert(canbao::kInsuranceStatusCount == CANBAO_INSURANCE_RECEIVING_PENSION + 1);
static_assert(static_cast<int>(canbao::Employment::other) == CANBAO_EMPLOYMENT_OTHER);
static_assert(canbao::kEmploymentCount == CANBAO_EMPLOYMENT_OTHER + 1);
static_assert(canbao::flag_bit(canbao::PersonFlag::village_cadre) == CANBAO_FLAG_VILLAGE_CADRE);
static_assert(canbao::kPersonFlagCount == 6);
static_assert(static_cast<int>(canbao::Scheme::resident) == CANBAO_SCHEME_RESIDENT);
static_assert(canbao::action_bit(canbao::Action::raise_grade) == CANBAO_ACTION_RAISE_GRADE);
static_assert(canbao::action_bit(canbao::Action::back_pay) == CANBAO_ACTION_BACK_PAY);
static_assert(sizeof(canbao_person) == 12 && sizeof(canbao_recommendation) == 16);
static_assert(static_cast<int>(canbao::FactType::boolean) == CANBAO_FACT_BOOLEAN);
static_assert(static_cast<int>(canbao::FactType::enumeration) == CANBAO_FACT_ENUMERATION);
static_assert(static_cast<int>(canbao::FactType::integer) == CANBAO_FACT_INTEGER);
static_assert(static_cast<int>(canbao::FactType::date) == CANBAO_FACT_DATE);
static_assert(static_cast<int>(canbao::FactType::flags) == CANBAO_FACT_FLAGS);

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

// A malloc'ed copy the caller frees with canbao_string_free.
char* copy_out(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

// Batch errors name "columns.field[N]"; the AoS caller knows it as persons[base+N].field.
canbao::InputError renamed_row_error(const canbao::InputError& e, std::size_t base) {
  const canbao::ErrorPlace& place = e.place();
  if (!place.row || place.name.rfind("columns.", 0) != 0) return e;
  return canbao::InputError(
      "persons[" + std::to_string(base + *place.row) + "]." + place.name.substr(8), e.message());
}

// The C ABI's columns as the C++ ones (the same seven columns, in the same order).
canbao::PersonColumns person_columns(const canbao_person_columns& c) {
  return canbao::PersonColumns{c.count,
                               c.sex,
                               c.birth_day,
                               c.hukou_local,
                               c.insurance_status,
                               c.employment,
                               c.resident_grade_yuan,
                               c.flags};
}

// canbao_recommend_table's built-in columns: name, fixed type, whether required.
struct BuiltinColumn {
  const char* name;
  std::uint32_t type;
  bool required;
};
constexpr BuiltinColumn kBuiltinColumns[] = {
    {"sex", CANBAO_COLUMN_U8, true},          {"birth_day", CANBAO_COLUMN_I32, true},
    {"hukou_local", CANBAO_COLUMN_U8, false}, {"insurance_status", CANBAO_COLUMN_U8, false},
    {"employment", CANBAO_COLUMN_U8, false},  {"resident_grade_yuan", CANBAO_COLUMN_U16, false},
    {"flags", CANBAO_COLUMN_U8, false}};
enum { kSex, kBirth, kHukou, kStatus, kEmployment, kGrade, kFlags, kBuiltinCount };

std::string column_type_name(std::uint32_t type) {
  switch (type) {
    case CANBAO_COLUMN_U8:
      return "U8";
    case CANBAO_COLUMN_U16:
      return "U16";
    case CANBAO_COLUMN_I32:
      return "I32";
  }
  return std::to_string(type) + " (not a CANBAO_COLUMN_* type)";
}

// in->columns resolved by name: the built-in columns' data and the declared
// facts' columns (nullptr: left out).
struct TableColumns {
  const void* builtin[kBuiltinCount] = {};
  std::vector<const canbao_named_column*> facts;
};

TableColumns resolve_columns(const canbao_table_input& in, const canbao::FactDeclarations& facts) {
  TableColumns t;
  t.facts.assign(facts.size(), nullptr);
  for (std::size_t k = 0; k < in.column_count; ++k) {
    const canbao_named_column& c = in.columns[k];
    const std::string at = "in.columns[" + std::to_string(k) + "]";
    if (c.name == nullptr) throw canbao::ArgumentError(at + ".name", "must not be NULL");
    if (c.data == nullptr && in.count > 0)
      throw canbao::ArgumentError(at + ".data", "must not be NULL");
    const std::string name = c.name;
    auto twice = [&] {
      return canbao::ArgumentError(at + ".name", "column \"" + name + "\" is given twice");
    };
    int b = 0;
    while (b < kBuiltinCount && name != kBuiltinColumns[b].name) ++b;
    if (b < kBuiltinCount) {
      if (c.type != kBuiltinColumns[b].type) {
        throw canbao::ArgumentError(at + ".type", "column \"" + name + "\" is " +
                                                      column_type_name(kBuiltinColumns[b].type) +
                                                      ", got " + column_type_name(c.type));
      }
      if (t.builtin[b] != nullptr) throw twice();
      t.builtin[b] = c.data;
      continue;
    }
    const int f = facts.index_of(name);
    if (f < 0) {
      std::string known;
      for (const BuiltinColumn& bc : kBuiltinColumns)
        known += std::string(known.empty() ? "" : ", ") + bc.name;
      for (const canbao::FactDeclaration& d : facts.facts) known += ", " + d.id;
      throw canbao::ArgumentError(at + ".name", "unknown column \"" +
                                                    canbao::detail::excerpt(name) +
                                                    "\" (expected one of: " + known + ")");
    }
    if (c.type != CANBAO_COLUMN_U8 && c.type != CANBAO_COLUMN_U16 && c.type != CANBAO_COLUMN_I32) {
      throw canbao::ArgumentError(
          at + ".type", "expected CANBAO_COLUMN_I32, U16 or U8 for declared fact \"" + name +
                            "\", got " + column_type_name(c.type));
    }
    if (t.facts[static_cast<std::size_t>(f)] != nullptr) throw twice();
    t.facts[static_cast<std::size_t>(f)] = &c;
  }
  for (int b = 0; b < kBuiltinCount; ++b) {
    if (kBuiltinColumns[b].required && t.builtin[b] == nullptr) {
      throw canbao::ArgumentError("in.columns", std::string("the required column \"") +
                                                    kBuiltinColumns[b].name + "\" is missing");
    }
  }
  for (std::size_t f = 0; f < facts.size(); ++f) {
    if (t.facts[f] == nullptr && !facts.facts[f].default_value) {
      throw canbao::ArgumentError("in.columns", "the column of declared fact \"" +
                                                    facts.facts[f].id +
                                                    "\" is missing, and the fact has no default");
    }
  }
  return t;
}

// A chunk's row error names the row of the whole table.
canbao::InputError rebased_row_error(const canbao::InputError& e, std::size_t base) {
  canbao::ErrorPlace place = e.place();
  if (!place.row) return e;
  place.row = base + *place.row;
  return canbao::InputError(place, e.message());
}

void recommend_table(const canbao::Recommender& recommender, canbao::Date as_of,
                     const canbao_table_input& in, const canbao_table_output& out) {
  const canbao::FactDeclarations& facts = recommender.facts();
  const TableColumns t = resolve_columns(in, facts);
  const auto prepared = recommender.prepared(as_of);
  const std::size_t words = static_cast<std::size_t>(recommender.fired_row_words());
  // Columns left out and U8/U16 fact columns go through fixed-size chunks:
  // buffers per call, never per person.
  constexpr std::size_t kChunk = 1024;
  const canbao::Person defaults;
  std::uint8_t hukou[kChunk], status[kChunk], employment[kChunk], flags[kChunk];
  std::uint16_t grade[kChunk];
  std::fill(hukou, hukou + kChunk, static_cast<std::uint8_t>(defaults.hukou_local));
  std::fill(status, status + kChunk, static_cast<std::uint8_t>(defaults.insurance_status));
  std::fill(employment, employment + kChunk, static_cast<std::uint8_t>(defaults.employment));
  std::fill(flags, flags + kChunk, defaults.flags);
  std::fill(grade, grade + kChunk, defaults.resident_grade_yuan);
  std::size_t converted = 0;
  for (const canbao_named_column* c : t.facts) converted += c && c->type != CANBAO_COLUMN_I32;
  std::vector<std::int32_t> buffer(converted * kChunk);
  std::vector<const std::int32_t*> fact_columns(facts.size());
  auto column = [&](int b, const auto* fallback, std::size_t base) {
    using T = std::remove_const_t<std::remove_pointer_t<decltype(fallback)>>;
    return t.builtin[b] ? static_cast<const T*>(t.builtin[b]) + base : fallback;
  };
  for (std::size_t base = 0; base < in.count; base += kChunk) {
    const std::size_t n = std::min(kChunk, in.count - base);
    std::int32_t* next = buffer.data();
    for (std::size_t f = 0; f < facts.size(); ++f) {
      const canbao_named_column* c = t.facts[f];
      fact_columns[f] = nullptr;
      if (c == nullptr) continue;
      if (c->type == CANBAO_COLUMN_I32) {
        fact_columns[f] = static_cast<const std::int32_t*>(c->data) + base;
        continue;
      }
      for (std::size_t i = 0; i < n; ++i) {
        next[i] = c->type == CANBAO_COLUMN_U8
                      ? static_cast<const std::uint8_t*>(c->data)[base + i]
                      : static_cast<const std::uint16_t*>(c->data)[base + i];
      }
      fact_columns[f] = next;
      next += kChunk;
    }
    canbao::PersonColumns pc{n,
                             column(kSex, static_cast<const std::uint8_t*>(nullptr), base),
                             column(kBirth, static_cast<const std::int32_t*>(nullptr), base),
                             column(kHukou, hukou, base),
                             column(kStatus, status, base),
                             column(kEmployment, employment, base),
                             column(kGrade, grade, base),
                             column(kFlags, flags, base)};
    pc.facts = fact_columns.data();
    pc.fact_count = fact_columns.size();
    const canbao::RecommendationColumns rc{out.scheme + base, out.actions + base, out.groups + base,
                                           out.fired_rows ? out.fired_rows + base * words : nullptr,
                                           out.fired_set ? out.fired_set + base : nullptr};
    try {
      prepared->run(pc, rc);
    } catch (const canbao::InputError& e) {
      throw rebased_row_error(e, base);
    }
  }
}

canbao::Date as_of_day(int32_t day) {
  if (day < -719162 || day > 2932896) {
    throw canbao::ArgumentError("as_of_day", std::to_string(day) + " is outside years 1..9999");
  }
  return canbao::Date::from_day_number(day);
}

}  // namespace

// Shared with the other bindings/c files (c_abi.hpp).
canbao_status give_policy(canbao::PolicyPtr policy, canbao_policy** out) {
  std::optional<canbao::Recommender> recommender;
  if (policy->recommendation) recommender.emplace(policy);
  *out = new canbao_policy{std::move(policy), std::move(recommender)};
  return CANBAO_OK;
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

const canbao::Recommender& recommender_of(const canbao_policy* policy) {
  if (!policy->recommender) {
    throw canbao::ArgumentError("policy", "the policy has no recommendation section");
  }
  return *policy->recommender;
}

const canbao::FactDeclarations& declared_facts(const canbao_policy* policy) {
  static const canbao::FactDeclarations none;
  return policy->recommender ? policy->recommender->facts() : none;
}

const canbao::FactDeclaration& declared_fact(const canbao_policy* policy, size_t index) {
  const canbao::FactDeclarations& facts = declared_facts(policy);
  if (index >= facts.size()) {
    throw canbao::ArgumentError("index", std::to_string(index) + " is not below the " +
                                             std::to_string(facts.size()) + " declared facts");
  }
  return facts.facts[index];
}

}  // namespace canbao::detail

using canbao::detail::copy_out;
using canbao::detail::fail;
using canbao::detail::guarded;
using canbao::detail::null_argument;

extern "C" {

const char* canbao_version(void) { return CANBAO_VERSION_STRING; }
unsigned canbao_version_number(void) { return CANBAO_VERSION_NUMBER; }
unsigned canbao_abi_version(void) { return CANBAO_ABI_VERSION; }

const char* canbao_status_name(int status) {
  switch (status) {
    case CANBAO_OK:
      return "ok";
    case CANBAO_INVALID_ARGUMENT:
      return "invalid_argument";
    case CANBAO_POLICY_ERROR:
      return "policy_error";
    case CANBAO_INPUT_ERROR:
      return "input_error";
    case CANBAO_OVERFLOW:
      return "overflow";
    case CANBAO_OUT_OF_MEMORY:
      return "out_of_memory";
    case CANBAO_INTERNAL:
      return "internal";
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
    *out = policy->policy->fingerprint().c_str();
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
    // With the handle's Recommender: op "recommend" reuses its row index.
    const std::string answer = canbao::detail::call_json(
        policy == nullptr ? nullptr : policy->policy.get(),
        policy == nullptr || !policy->recommender ? nullptr : &*policy->recommender,
        std::string(request, len));
    *response = copy_out(answer);
    return CANBAO_OK;
  });
}

canbao_status canbao_recommend_batch(const canbao_policy* policy, int32_t as_of_day,
                                     const canbao_person* persons, size_t count,
                                     canbao_recommendation* results) {
  return guarded([&] {
    if (policy == nullptr) return null_argument("policy");
    if (count > 0 && persons == nullptr) return null_argument("persons");
    if (count > 0 && results == nullptr) return null_argument("results");
    // Held for the whole call: the Recommender's cache may drop its copy meanwhile.
    const canbao::Recommender& recommender = canbao::detail::recommender_of(policy);
    if (recommender.fired_row_words() > 1) {
      // canbao_recommendation.fired_rows holds one 64-bit word: never a partial answer.
      return fail(CANBAO_INVALID_ARGUMENT, "policy",
                  "the policy has " + std::to_string(recommender.row_count()) +
                      " decision rows; canbao_recommendation.fired_rows holds 64");
    }
    const auto prepared = recommender.prepared(canbao::detail::as_of_day(as_of_day));
    // Structs -> columns in fixed-size chunks on the stack: no allocation per person.
    constexpr std::size_t kChunk = 512;
    std::uint8_t sex[kChunk], hukou[kChunk], status[kChunk], employment[kChunk], flags[kChunk];
    std::int32_t birth[kChunk];
    std::uint16_t grade[kChunk];
    std::uint8_t scheme[kChunk], actions[kChunk], groups[kChunk];
    std::uint64_t fired[kChunk];
    for (std::size_t base = 0; base < count; base += kChunk) {
      const std::size_t n = count - base < kChunk ? count - base : kChunk;
      for (std::size_t i = 0; i < n; ++i) {
        const canbao_person& p = persons[base + i];
        sex[i] = p.sex;
        hukou[i] = p.hukou_local;
        status[i] = p.insurance_status;
        employment[i] = p.employment;
        flags[i] = p.flags;
        birth[i] = p.birth_day;
        grade[i] = p.resident_grade_yuan;
      }
      const canbao::PersonColumns in = canbao::detail::person_columns(canbao_person_columns{
          CANBAO_ABI_VERSION, n, sex, birth, hukou, status, employment, grade, flags});
      const canbao::RecommendationColumns out{scheme, actions, groups, fired};
      try {
        prepared->run(in, out);
      } catch (const canbao::InputError& e) {
        throw canbao::detail::renamed_row_error(e, base);
      }
      for (std::size_t i = 0; i < n; ++i) {
        canbao_recommendation& r = results[base + i];
        r = canbao_recommendation{};
        r.fired_rows = fired[i];
        r.scheme = scheme[i];
        r.actions = actions[i];
        r.groups = groups[i];
      }
    }
    return CANBAO_OK;
  });
}

canbao_status canbao_recommend_columns(const canbao_policy* policy, int32_t as_of_day,
                                       const canbao_person_columns* in,
                                       const canbao_recommendation_columns* out) {
  return guarded([&] {
    if (policy == nullptr) return null_argument("policy");
    if (in == nullptr) return null_argument("in");
    if (out == nullptr) return null_argument("out");
    if (in->abi_version != CANBAO_ABI_VERSION || out->abi_version != CANBAO_ABI_VERSION) {
      return fail(CANBAO_INVALID_ARGUMENT, "abi_version",
                  "columns built for canbao ABI " +
                      std::to_string(in->abi_version != CANBAO_ABI_VERSION ? in->abi_version
                                                                           : out->abi_version) +
                      ", this library speaks ABI " + std::to_string(CANBAO_ABI_VERSION));
    }
    const canbao::RecommendationColumns cout{out->scheme, out->actions, out->groups,
                                             out->fired_rows};
    if (out->fired_rows && canbao::detail::recommender_of(policy).fired_row_words() > 1) {
      // The ABI's fired_rows column is one 64-bit word a person.
      return fail(CANBAO_INVALID_ARGUMENT, "out.fired_rows",
                  "the policy has " +
                      std::to_string(canbao::detail::recommender_of(policy).row_count()) +
                      " decision rows, over the 64 one word per person holds; pass NULL");
    }
    canbao::detail::recommender_of(policy).recommend_batch(
        canbao::detail::as_of_day(as_of_day), canbao::detail::person_columns(*in), cout);
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_fired_row_words(const canbao_policy* policy, size_t* out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    if (policy == nullptr) return null_argument("policy");
    *out = static_cast<size_t>(canbao::detail::recommender_of(policy).fired_row_words());
    return CANBAO_OK;
  });
}

canbao_status canbao_recommend_table(const canbao_policy* policy, int32_t as_of_day,
                                     const canbao_table_input* in, const canbao_table_output* out) {
  return guarded([&] {
    if (policy == nullptr) return null_argument("policy");
    if (in == nullptr) return null_argument("in");
    if (out == nullptr) return null_argument("out");
    if (in->struct_size < sizeof(canbao_table_input))
      return fail(CANBAO_INVALID_ARGUMENT, "in.struct_size",
                  "set it to sizeof(canbao_table_input)");
    // Callers built before fired_set pass the struct without it (its offset).
    if (out->struct_size < offsetof(canbao_table_output, fired_set))
      return fail(CANBAO_INVALID_ARGUMENT, "out.struct_size",
                  "set it to sizeof(canbao_table_output)");
    canbao_table_output fitted{};
    std::memcpy(&fitted, out, std::min(out->struct_size, sizeof fitted));
    if (in->column_count > 0 && in->columns == nullptr) return null_argument("in.columns");
    if (in->count > 0) {
      if (out->scheme == nullptr) return null_argument("out.scheme");
      if (out->actions == nullptr) return null_argument("out.actions");
      if (out->groups == nullptr) return null_argument("out.groups");
    }
    const canbao::Recommender& recommender = canbao::detail::recommender_of(policy);
    const auto words = static_cast<size_t>(recommender.fired_row_words());
    if (out->fired_rows != nullptr && out->fired_row_words != words) {
      return fail(CANBAO_INVALID_ARGUMENT, "out.fired_row_words",
                  std::to_string(out->fired_row_words) + ", but the policy's " +
                      std::to_string(recommender.row_count()) + " decision rows take " +
                      std::to_string(words) + " words a person (canbao_policy_fired_row_words)");
    }
    canbao::detail::recommend_table(recommender, canbao::detail::as_of_day(as_of_day), *in, fitted);
    return CANBAO_OK;
  });
}

}  // extern "C"
