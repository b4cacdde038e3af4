// Evaluating a policy's recommendation rules (recommendation.hpp): for one
// person with a trace of the rows that fired, or for whole rosters through the
// batch tables (batch.hpp), which give the same answers from columns.
//
// A Recommender is built once per policy and kept next to it: it holds the
// global row index and the batch tables prepared for the last few as-of
// dates. It is a cheap copyable handle to immutable state, safe to share
// across threads, and keeps its policy alive.
#pragma once

#include <canbao/export.hpp>

#include <memory>

#include <canbao/batch.hpp>
#include <canbao/date.hpp>
#include <canbao/person.hpp>
#include <canbao/policy.hpp>
#include <canbao/recommendation.hpp>

namespace canbao {

class CANBAO_API Recommender {
 public:
  // ArgumentError when the policy has no recommendation section, or when its
  // rules are inconsistent (a female retirement age other than 50 or 55, a
  // test of an undeclared fact; load_policy checks both).
  explicit Recommender(PolicyPtr policy);

  const Policy& policy() const;
  const RecommendationRules& rules() const;

  int row_count() const;
  // Words of 64 bits per person in fired_rows (Recommendation and batch): one per 64 rows.
  int fired_row_words() const;
  // The declared facts (the policy's "facts" section), in declaration order:
  // the order of PersonColumns::facts.
  const FactDeclarations& facts() const;
  // Global row number -> the row and its table (row_index -1: `otherwise`).
  const DecisionRow& row(int bit) const;
  int row_table(int bit) const;
  int row_index(int bit) const;
  // Whether any condition needs retirement facts.
  bool uses_retirement() const;

  DerivedFacts derive(const Person& person, Date as_of) const;
  // The straightforward evaluation: each row's condition on the person's
  // facts, with the trace of the rows that fired.
  Recommendation recommend(const Person& person, Date as_of) const;

  // The batch tables for `as_of`, made on first use and kept for the last few
  // as-of dates, so repeated and chunked batch calls skip the prepare step
  // (0.2-1 ms). Thread-safe; the result stays valid while the caller holds it.
  std::shared_ptr<const PreparedRecommendation> prepared(Date as_of) const;
  // prepared(as_of) for use on the calling thread now, without the lock and
  // the shared count prepared() takes, which serialise hosts that call one
  // person at a time from many threads. Each thread keeps the last tables it
  // asked for (one set); the reference is valid until the same thread calls
  // prepared_on_this_thread() again, on any Recommender, or ends.
  const PreparedRecommendation& prepared_on_this_thread(Date as_of) const;
  // prepared(as_of)->run(in, out).
  void recommend_batch(Date as_of, const PersonColumns& in, const RecommendationColumns& out) const;

 private:
  struct Impl;  // src/recommender.cpp
  std::shared_ptr<const Impl> impl_;
};

// The policy's recommendation for one person on `as_of` (a one-off: it builds
// the row index each call; hold a Recommender for many persons). ArgumentError
// when the policy has no recommendation section.
CANBAO_API Recommendation recommend(const Policy& policy, const Person& person, Date as_of);

// Batch recommendation with the policy's rules. It prepares the batch tables
// on every call (0.2-1 ms): callers that run repeated or chunked batches
// should hold a Recommender, whose recommend_batch reuses them.
// ArgumentError when the policy has no recommendation section.
CANBAO_API void recommend_batch(const Policy& policy, Date as_of, const PersonColumns& in,
                                const RecommendationColumns& out);

}  // namespace canbao
