// PreparedRecommendation::run(): the checks every kernel relies on, the
// choice of kernel (BatchKernelKind, batch.hpp) and the report of the first
// bad row; and the test hooks (detail/batch_hooks.hpp).
#include <atomic>
#include <string>

#include <canbao/error.hpp>

#include "prepared.hpp"

namespace canbao {

using detail::BatchKernel;

namespace {
std::atomic<BatchKernel> g_kernel{BatchKernel::automatic};
}  // namespace

namespace detail {

void set_batch_kernel(BatchKernel kernel) { g_kernel.store(kernel, std::memory_order_relaxed); }

BatchKernel forced_batch_kernel() { return g_kernel.load(std::memory_order_relaxed); }

bool batch_avx2_available() {
#if CANBAO_BATCH_AVX2
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
#else
  return false;
#endif
}

bool batch_avx2_table_built(const PreparedRecommendation& prepared) {
  return !PreparedAccess::impl(prepared).direct_answer_.empty();
}

}  // namespace detail

using detail::batch_avx2_available;
using detail::forced_batch_kernel;

const char* batch_kernel_name(BatchKernelKind kind) noexcept {
  switch (kind) {
    case BatchKernelKind::avx2_table:
      return "avx2_table";
    case BatchKernelKind::portable_table:
      return "portable_table";
    case BatchKernelKind::per_person:
      return "per_person";
  }
  return "?";
}

void PersonColumnStore::throw_fact_error(const std::string& id, const char* why) {
  throw ArgumentError("facts." + id, why);
}

void PreparedRecommendation::run(const PersonColumns& in, const RecommendationColumns& out) const {
  impl_->run(in, out);
}

Date PreparedRecommendation::as_of() const { return impl_->as_of_; }

bool PreparedRecommendation::has_fired_sets() const noexcept { return impl_->sets_.available(); }

std::string PreparedRecommendation::fired_sets_reason() const { return impl_->sets_.reason(); }

std::size_t PreparedRecommendation::fired_set_count() const {
  if (!impl_->sets_.available()) throw ArgumentError("fired_set", impl_->sets_.reason());
  return impl_->sets_.count();
}

const std::uint64_t* PreparedRecommendation::fired_set_words(std::size_t k) const {
  const std::size_t count = fired_set_count();
  if (k >= count) {
    throw ArgumentError("fired_set", "no set " + std::to_string(k) + " (there are " +
                                         std::to_string(count) + ", numbered from 0)");
  }
  return impl_->sets_.at(k);
}

std::size_t PreparedRecommendation::fired_row_words() const {
  return impl_->generic_ ? impl_->generic_->words() : 1;
}

BatchKernelKind PreparedRecommendation::kernel() const { return impl_->kernel(); }

std::string PreparedRecommendation::kernel_reason() const {
  const Impl& m = *impl_;
  const BatchKernelKind used = m.kernel();
  const BatchKernelKind best = m.generic_ ? m.generic_->best() : m.best_;
  std::string out = std::string(batch_kernel_name(used)) + ": " +
                    (m.generic_ ? "declared facts, retirement ages by a fact or over 63 rows; " +
                                      m.generic_->reason() +
                                      (m.at_defaults_ ? "; calls without fact columns (every fact "
                                                        "at its default): " +
                                                            m.at_defaults_->reason_
                                                      : std::string())
                                : m.reason_);
  if (used != best) {
    out += best == BatchKernelKind::avx2_table && !batch_avx2_available()
               ? " (this CPU or build has no AVX2)"
               : " (a slower kernel forced by detail::set_batch_kernel)";
  }
  return out;
}

BatchKernelKind PreparedRecommendation::Impl::kernel() const {
  if (generic_) return generic_->kernel();
  const BatchKernel forced = forced_batch_kernel();
  if (forced != BatchKernel::portable && forced != BatchKernel::per_person &&
      !direct_answer_.empty() && batch_avx2_available()) {
    return BatchKernelKind::avx2_table;
  }
  if (forced != BatchKernel::per_person && !answer_by_date_key_.empty())
    return BatchKernelKind::portable_table;
  return BatchKernelKind::per_person;
}

void PreparedRecommendation::Impl::run(const PersonColumns& in,
                                       const RecommendationColumns& out) const {
  if (in.count == 0) return;
  auto need = [](const void* p, const char* name) {
    if (!p) throw ArgumentError(name, "column is null");
  };
  need(in.sex, "sex");
  need(in.birth_day, "birth_day");
  need(in.hukou_local, "hukou_local");
  need(in.insurance_status, "insurance_status");
  need(in.employment, "employment");
  need(in.resident_grade_yuan, "resident_grade_yuan");
  need(in.flags, "flags");
  need(out.scheme, "scheme");
  need(out.actions, "actions");
  need(out.groups, "groups");
  if (out.fired_set && !sets_.available()) {
    throw ArgumentError("fired_set", "no fired-set numbers on " + as_of_.iso() + ": " +
                                         sets_.reason() + "; ask for fired_rows");
  }
  if (generic_) {
    bool any_fact_column = false;
    for (std::size_t f = 0; in.facts && f < in.fact_count; ++f)
      any_fact_column |= in.facts[f] != nullptr;
    // The tables at defaults number their sets in this one's numbering, or the generic kernels run.
    if (!any_fact_column && at_defaults_ && (!out.fired_set || at_defaults_->sets_numbered_))
      return at_defaults_->run(in, out);
    return generic_->run(in, out);
  }
  // Declared facts no condition tests: their columns are still checked.
  if (!facts_.empty()) detail::check_fact_columns(in, facts_);

  switch (kernel()) {
    case BatchKernelKind::avx2_table: {
      const std::size_t done = run_avx2(in, out);
      if (done < in.count) run_portable(in, out, done);
      break;
    }
    case BatchKernelKind::portable_table:
      run_portable(in, out, 0);
      break;
    case BatchKernelKind::per_person:
      run_per_person(in, out, 0);
      break;
  }
}

namespace detail {

void throw_if_bad_builtin(const PersonColumns& in, std::size_t i, std::int32_t first_birth_day,
                          std::int32_t last_birth_day, Date as_of, const BuiltinValues& builtin) {
  auto at = [i](const char* column) {
    return ErrorPlace{"columns." + std::string(column), std::nullopt, std::nullopt, i};
  };
  if (in.sex[i] > 1)
    throw InputError(at("sex"),
                     "expected 0 (male) or 1 (female), got " + std::to_string(in.sex[i]));
  if (in.hukou_local[i] > 1)
    throw InputError(at("hukou_local"),
                     "expected 0 or 1, got " + std::to_string(in.hukou_local[i]));
  const int statuses = builtin.count(BuiltinList::insurance_status);
  if (in.insurance_status[i] >= statuses) {
    throw InputError(at("insurance_status"), "expected 0.." + std::to_string(statuses - 1) +
                                                 ", got " + std::to_string(in.insurance_status[i]));
  }
  const int employments = builtin.count(BuiltinList::employment);
  if (in.employment[i] >= employments) {
    throw InputError(at("employment"), "expected 0.." + std::to_string(employments - 1) + ", got " +
                                           std::to_string(in.employment[i]));
  }
  const int flags = builtin.count(BuiltinList::flags);
  if (flags < 8 && (in.flags[i] >> flags) != 0) {
    throw InputError(at("flags"), "unknown flag bits in " + std::to_string(in.flags[i]) +
                                      " (known flags: bits 0.." + std::to_string(flags - 1) +
                                      ", values 0.." + std::to_string((1 << flags) - 1) + ")");
  }
  const std::int32_t b = in.birth_day[i];
  if (b < first_birth_day || b > last_birth_day) {
    const std::string range = "1900-01-01.." + Date::from_day_number(last_birth_day).iso();
    const bool is_date = b >= Date::from_ymd(1, 1, 1)->day_number() &&
                         b <= Date::from_ymd(9999, 12, 31)->day_number();
    std::string what = std::to_string(b);
    if (is_date) what += " (" + Date::from_day_number(b).iso() + ")";
    throw InputError(at("birth_day"),
                     what + " is not a supported birth day (" + range +
                         ": from 1900 to the as-of date " + as_of.iso() +
                         ", at most 2200-12-31; day numbers count from 1970-01-01)");
  }
}

}  // namespace detail

// The first bad row of `in`, as "columns.<column>[<row>]" (the form the
// Python facade and canbao_recommend_columns show; canbao_recommend_batch
// renames it persons[<row>].<column>). Only integers are printed for a day
// number outside years 1..9999: converting it to a date would overflow.
void PreparedRecommendation::Impl::report_bad_row(const PersonColumns& in) const {
  for (std::size_t i = 0; i < in.count; ++i)
    detail::throw_if_bad_builtin(in, i, first_birth_day_, last_birth_day_, as_of_, BuiltinValues{});
  throw Error(ErrorKind::internal, "batch",
              "a row was flagged invalid but no field is out of range");
}

}  // namespace canbao
