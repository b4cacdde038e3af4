#include "progress_bar.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include <canbao/error.hpp>

namespace canbao::cli {
namespace {
constexpr std::uint64_t kLongLines = 100000;       // issue 13: "rosters over 100,000 rows"
constexpr std::uint64_t kLargeFile = 16ull << 20;  // bytes: long enough to show from the start
constexpr int kWidth = 30;
}  // namespace

CountingBuf::CountingBuf(std::filebuf* file, std::uint64_t size, std::string label, bool show)
    : file_(file), size_(size), label_(std::move(label)), show_(show) {}

std::streambuf::int_type CountingBuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  const std::streamsize n = file_->sgetn(buf_, sizeof buf_);
  if (n <= 0) return traits_type::eof();
  read_ += static_cast<std::uint64_t>(n);
  lines_ += static_cast<std::uint64_t>(std::count(buf_, buf_ + n, '\n'));
  if (show_ && (lines_ >= kLongLines || size_ >= kLargeFile)) draw(false);
  setg(buf_, buf_, buf_ + n);
  return traits_type::to_int_type(*gptr());
}

void CountingBuf::draw(bool final) {
  // The figure that changes: percent of the bytes, or (size unknown) 50,000s of rows.
  const int percent = size_ == 0 ? static_cast<int>(lines_ / 50000 % 1000000)
                      : final    ? 100
                              : static_cast<int>(std::min<std::uint64_t>(100, read_ * 100 / size_));
  if (percent == last_percent_ && !final) return;  // redraw only when the figure changes
  last_percent_ = percent;
  drawn_ = true;
  if (size_ == 0) {  // not a regular file: its size is unknown, so rows only
    std::fprintf(stderr, "\r%s %llu rows%s", label_.c_str(),
                 static_cast<unsigned long long>(lines_), final ? "\n" : "");
    std::fflush(stderr);
    return;
  }
  const int filled = percent * kWidth / 100;
  std::fprintf(stderr, "\r%s [%s%s] %3d%% (%llu rows)", label_.c_str(),
               std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(kWidth - filled), '-').c_str(), percent,
               static_cast<unsigned long long>(lines_));
  if (final) std::fputc('\n', stderr);
  std::fflush(stderr);
}

void CountingBuf::finish() {
  if (drawn_) draw(true);
  drawn_ = false;
}

RosterInput::RosterInput(const std::string& path, const std::string& option,
                         const std::string& label, bool quiet) {
  if (!file_.open(path, std::ios::in | std::ios::binary))
    throw ArgumentError(option, "cannot open \"" + path + "\"");
  struct stat st;
  const std::uint64_t size = stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)
                                 ? static_cast<std::uint64_t>(st.st_size)
                                 : 0;
  // Never into a pipe or a file: a bar is for a person at a terminal.
  const bool show = !quiet && isatty(STDERR_FILENO) == 1;
  shows_bar_ = show;
  counter_ = std::make_unique<CountingBuf>(&file_, size, label, show);
  stream_.rdbuf(counter_.get());
}

}  // namespace canbao::cli
