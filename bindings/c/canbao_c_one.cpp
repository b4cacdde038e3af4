// The C ABI's typed one-person entry (include/canbao.h, canbao_recommend_one),
// the listing of a policy's decision rows, which say why a fired_rows bit
// was set, and the numbered fired-row sets of canbao_table_output.fired_set. Same conventions as
// every entry (c_abi.hpp): a status, a thread-local message, no exception crosses.
//
// canbao_recommend_one runs the batch kernel on one person, with the columns
// pointing into the caller's struct: the same prepared tables (kept by the
// policy's Recommender) and the same range checks as canbao_recommend_batch,
// so the answers agree by construction; no chunk buffers, no allocation.
#include <canbao.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include <canbao/batch.hpp>
#include <canbao/date.hpp>
#include <canbao/error.hpp>
#include <canbao/recommender.hpp>

#include "c_abi.hpp"

using canbao::detail::fail;
using canbao::detail::guarded;
using canbao::detail::null_argument;

namespace {

// The prepared tables of `as_of_day` (ArgumentError for a day outside years 1..9999).
std::shared_ptr<const canbao::PreparedRecommendation> prepared_on(const canbao_policy* policy,
                                                                  int32_t as_of_day) {
  // Years 1..9999: 0001-01-01 is day -719162, 9999-12-31 is day 2932896.
  if (as_of_day < -719162 || as_of_day > 2932896)
    throw canbao::ArgumentError("as_of_day",
                                std::to_string(as_of_day) + " is outside years 1..9999");
  return canbao::detail::recommender_of(policy).prepared(canbao::Date::from_day_number(as_of_day));
}

// A batch error names "columns.<field>[0]"; the caller knows it as person.<field>.
canbao::InputError renamed_person_error(const canbao::InputError& e) {
  const canbao::ErrorPlace& place = e.place();
  if (!place.row || place.name.rfind("columns.", 0) != 0) return e;
  return canbao::InputError("person." + place.name.substr(8), e.message());
}

}  // namespace

extern "C" {

canbao_status canbao_recommend_one(const canbao_policy* policy, int32_t as_of_day,
                                   const canbao_person* person, canbao_recommendation* out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    std::memset(out, 0, sizeof *out);
    if (policy == nullptr) return null_argument("policy");
    if (person == nullptr) return null_argument("person");
    const canbao::Recommender& recommender = canbao::detail::recommender_of(policy);
    if (recommender.fired_row_words() > 1) {
      // canbao_recommendation.fired_rows holds one 64-bit word: never a partial answer.
      return fail(CANBAO_INVALID_ARGUMENT, "policy",
                  "the policy has " + std::to_string(recommender.row_count()) +
                      " decision rows; canbao_recommendation.fired_rows holds 64");
    }
    if (person->reserved != 0) {
      return fail(CANBAO_INPUT_ERROR, "person.reserved",
                  "must be 0 (reserved for a later ABI), got " + std::to_string(person->reserved));
    }
    // Years 1..9999: 0001-01-01 is day -719162, 9999-12-31 is day 2932896.
    if (as_of_day < -719162 || as_of_day > 2932896) {
      return fail(CANBAO_INVALID_ARGUMENT, "as_of_day",
                  std::to_string(as_of_day) + " is outside years 1..9999");
    }
    const canbao::PreparedRecommendation& prepared =
        recommender.prepared_on_this_thread(canbao::Date::from_day_number(as_of_day));
    const canbao::PersonColumns in{1,
                                   &person->sex,
                                   &person->birth_day,
                                   &person->hukou_local,
                                   &person->insurance_status,
                                   &person->employment,
                                   &person->resident_grade_yuan,
                                   &person->flags};
    std::uint8_t scheme = 0, actions = 0, groups = 0;
    std::uint64_t fired = 0;
    try {
      prepared.run(in, canbao::RecommendationColumns{&scheme, &actions, &groups, &fired});
    } catch (const canbao::InputError& e) {
      throw renamed_person_error(e);
    }
    out->fired_rows = fired;
    out->scheme = scheme;
    out->actions = actions;
    out->groups = groups;
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_row_count(const canbao_policy* policy, size_t* out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    *out = 0;
    if (policy == nullptr) return null_argument("policy");
    if (policy->recommender) *out = static_cast<size_t>(policy->recommender->row_count());
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_row(const canbao_policy* policy, size_t row, canbao_row_info* out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    if (policy == nullptr) return null_argument("policy");
    // Fields of later versions are appended: fill only what the caller's struct has.
    if (out->struct_size < sizeof(canbao_row_info)) {
      return fail(CANBAO_INVALID_ARGUMENT, "out.struct_size",
                  std::to_string(out->struct_size) + " is below sizeof(canbao_row_info) " +
                      std::to_string(sizeof(canbao_row_info)) + ": set it before the call");
    }
    const std::size_t count =
        policy->recommender ? static_cast<std::size_t>(policy->recommender->row_count()) : 0;
    if (row >= count) {
      return fail(CANBAO_INVALID_ARGUMENT, "row",
                  std::to_string(row) + " is not below the policy's " + std::to_string(count) +
                      " decision rows");
    }
    const canbao::Recommender& r = *policy->recommender;
    const int bit = static_cast<int>(row);
    const canbao::DecisionRow& d = r.row(bit);
    out->path = d.path.c_str();
    out->source = d.source.c_str();
    out->reason_zh = d.reason.zh.c_str();
    out->reason_en = d.reason.en.c_str();
    out->table = r.row_table(bit);
    out->row = r.row_index(bit);
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_fired_set_count(const canbao_policy* policy, int32_t as_of_day,
                                            size_t* out) {
  return guarded([&] {
    if (out == nullptr) return null_argument("out");
    *out = 0;
    if (policy == nullptr) return null_argument("policy");
    *out = prepared_on(policy, as_of_day)->fired_set_count();
    return CANBAO_OK;
  });
}

canbao_status canbao_policy_fired_set(const canbao_policy* policy, int32_t as_of_day, size_t k,
                                      uint64_t* words, size_t word_count) {
  return guarded([&] {
    if (policy == nullptr) return null_argument("policy");
    if (words == nullptr) return null_argument("words");
    const auto prepared = prepared_on(policy, as_of_day);
    const std::size_t per_set = prepared->fired_row_words();
    if (word_count != per_set) {
      return fail(CANBAO_INVALID_ARGUMENT, "word_count",
                  std::to_string(word_count) + ", but a set has " + std::to_string(per_set) +
                      " words (canbao_policy_fired_row_words)");
    }
    const std::uint64_t* set = prepared->fired_set_words(k);
    std::copy(set, set + per_set, words);
    return CANBAO_OK;
  });
}

}  // extern "C"
