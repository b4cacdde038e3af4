// canbao version: the one source CMake reads (conventions: fmt's version macro).
#pragma once

#define CANBAO_VERSION_MAJOR 0
#define CANBAO_VERSION_MINOR 2
#define CANBAO_VERSION_PATCH 0
#define CANBAO_VERSION_STRING "0.2.0"

namespace canbao {
inline constexpr const char* version_string() { return CANBAO_VERSION_STRING; }
}  // namespace canbao
