// 128-bit intermediates for exact cross-multiplication (GCC/Clang extension,
// marked so -Wpedantic accepts it). Internal: public headers stay portable.
#pragma once

namespace canbao::detail {
__extension__ typedef __int128 int128;
}  // namespace canbao::detail
