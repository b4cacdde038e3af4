// Test and benchmark hooks into the batch kernels (src/batch/). Not public
// API: tests and benchmarks include it with src/ on their include path.
#pragma once

#include <canbao/batch.hpp>

namespace canbao::detail {

// Which kernel PreparedRecommendation::run() may use (process-wide).
// automatic: the fastest the tables and the CPU allow. portable: not AVX2.
// per_person: neither table. avx2 is automatic.
enum class BatchKernel { automatic, portable, avx2, per_person };
void set_batch_kernel(BatchKernel kernel);
// The kernel set by set_batch_kernel (run() reads it once per call).
BatchKernel forced_batch_kernel();
// True when run() can use the AVX2 kernel on this machine.
bool batch_avx2_available();
// True when `prepared` has the AVX2 kernel's direct table (not too large for it).
bool batch_avx2_table_built(const PreparedRecommendation& prepared);

}  // namespace canbao::detail
