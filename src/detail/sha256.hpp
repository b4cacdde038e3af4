// SHA-256 (FIPS 180-4) for policy fingerprints: a stable identity of a policy's
// canonical JSON, so a report can say exactly which rules produced it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace canbao::detail {

std::array<std::uint8_t, 32> sha256(std::string_view data);
// Lowercase hex of the digest (64 characters).
std::string sha256_hex(std::string_view data);

}  // namespace canbao::detail
