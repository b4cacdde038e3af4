// SHA-256 (FIPS 180-4) for policy fingerprints: a stable identity of a policy's
// canonical JSON, so a report can say exactly which rules produced it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace canbao::detail {

std::array<std::uint8_t, 32> sha256(std::string_view data);

// The same digest of data given in pieces (a 700,000-unit policy's canonical
// JSON is hashed as it is written, never held whole).
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  std::array<std::uint8_t, 32> finish();  // once
  std::string finish_hex();
  static std::string hex(const std::array<std::uint8_t, 32>& digest);

 private:
  std::uint32_t h_[8];
  std::uint8_t buffer_[64] = {};
  std::size_t buffered_ = 0;
  std::uint64_t total_ = 0;
};
// Lowercase hex of the digest (64 characters).
std::string sha256_hex(std::string_view data);

}  // namespace canbao::detail
