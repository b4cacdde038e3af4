// A progress bar for long roster reads (issue 13 item 6). The library reads
// a std::istream and knows nothing of it: RosterInput hands it a stream over
// the file whose buffer counts the bytes and lines that pass, and draws the
// share of the file's bytes read on standard error. It is drawn only when
// standard error is a terminal (never into a pipe or a log file), not with
// --quiet, and only for a long input: once 100,000 lines have been read, or
// from the start when the file is over 16 MiB.
#pragma once

#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>

namespace canbao::cli {

class CountingBuf : public std::streambuf {
 public:
  // `label` starts the bar ("canbao recommend: reading roster"); `show` false never draws.
  CountingBuf(std::filebuf* file, std::uint64_t size, std::string label, bool show);
  // Draws 100% and ends the line when a bar was drawn.
  void finish();

 protected:
  int_type underflow() override;

 private:
  void draw(bool final);
  std::filebuf* file_;
  std::uint64_t size_, read_ = 0, lines_ = 0;
  std::string label_;
  bool show_, drawn_ = false;
  int last_percent_ = -1;
  char buf_[1 << 16];
};

// A roster (or other large input) file read through a CountingBuf.
class RosterInput {
 public:
  // ArgumentError naming `option` when the file cannot be opened. `quiet`: --quiet.
  RosterInput(const std::string& path, const std::string& option, const std::string& label,
              bool quiet);
  std::istream& stream() { return stream_; }
  void finish() { counter_->finish(); }
  // Whether a bar is drawn (a terminal, no --quiet).
  bool shows_bar() const { return shows_bar_; }

 private:
  std::filebuf file_;
  std::unique_ptr<CountingBuf> counter_;
  std::istream stream_{nullptr};
  bool shows_bar_ = false;
};

}  // namespace canbao::cli
