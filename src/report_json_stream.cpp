// JsonHoles (detail/result_json.hpp): a national report (700,000 units) as
// one nlohmann DOM took GBs. The builders put a marker where each per-unit
// array goes; the small rest (the "shell") is dumped as usual and the arrays
// are written element by element where their markers are. nlohmann sorts an
// object's keys, so the shell's dump puts every array exactly where the whole
// DOM's dump would: the bytes are the same (tests/unit/test_report_json_stream.cpp).
// The elements are written as text (json_text_writer.hpp), not built and
// dumped: building and freeing a small DOM per unit was a quarter of a
// national report's time. Chunks of them are formatted on the machine's
// cores and written in order.
#include <algorithm>
#include <ostream>
#include <string>

#include "detail/parallel.hpp"
#include "detail/result_json.hpp"

namespace canbao::detail {
namespace {

// Elements a part formats at a time: about a MB of text, enough to make a
// thread's start negligible, little enough to hold a few at once.
constexpr std::size_t kPerPart = 4096;

// Writes "[e0,e1,...]" with the elements formatted `threads` parts at a time;
// the parts are written in order, so the bytes do not depend on `threads`.
void write_elements(const JsonHoles::Hole& hole, std::ostream& out, unsigned threads) {
  out.put('[');
  std::vector<std::string> texts(threads);
  for (std::size_t from = 0; from < hole.size;) {
    const std::size_t count = std::min(hole.size - from, kPerPart * threads);
    const std::size_t parts = std::min<std::size_t>(threads, (count + kPerPart - 1) / kPerPart);
    auto format = [&](std::size_t p) {
      std::string& text = texts[p];
      text.clear();
      const std::size_t end = from + part_begin(count, parts, p + 1);
      for (std::size_t i = from + part_begin(count, parts, p); i < end; ++i) {
        if (i > 0) text += ',';
        hole.element(i, text);
      }
    };
    if (parts == 1) {
      format(0);  // a small array: no thread
    } else {
      run_parts(parts, format);
    }
    for (std::size_t p = 0; p < parts; ++p)
      out.write(texts[p].data(), static_cast<std::streamsize>(texts[p].size()));
    from += count;
  }
  out.put(']');
}

}  // namespace

nlohmann::json JsonHoles::array(JsonHoles* holes, std::size_t size, Element element) {
  if (!holes) {
    nlohmann::json out = nlohmann::json::array();
    std::string text;
    for (std::size_t i = 0; i < size; ++i) {
      text.clear();
      element(i, text);
      out.push_back(nlohmann::json::parse(text));
    }
    return out;
  }
  // Control characters make the marker unlike any text a policy would hold;
  // write_json_streamed still checks that each occurs once.
  const std::string marker =
      "\x01"
      "canbao-hole-" +
      std::to_string(holes->holes_.size()) + "\x01";
  holes->holes_.push_back(Hole{nlohmann::json(marker).dump(), size, std::move(element)});
  return marker;
}

void write_json_streamed(const std::function<nlohmann::json(JsonHoles*)>& build, std::ostream& out,
                         int indent, unsigned threads) {
  if (indent >= 0) {  // pretty printing indents the elements too: the whole DOM
    write_json_value(build(nullptr), out, indent);
    return;
  }
  JsonHoles holes;
  const std::string shell = build(&holes).dump(indent);
  // Where each hole is, in the order of the text.
  std::vector<std::pair<std::size_t, const JsonHoles::Hole*>> at;
  for (const JsonHoles::Hole& h : holes.holes()) {
    const std::size_t pos = shell.find(h.marker);
    if (pos == std::string::npos || shell.find(h.marker, pos + 1) != std::string::npos) {
      write_json_value(build(nullptr), out, indent);  // a policy text spelled a marker
      return;
    }
    at.emplace_back(pos, &h);
  }
  std::sort(at.begin(), at.end());
  const unsigned parts = thread_count(threads);
  std::size_t from = 0;
  for (const auto& [pos, hole] : at) {
    out.write(shell.data() + from, static_cast<std::streamsize>(pos - from));
    write_elements(*hole, out, parts);
    from = pos + hole->marker.size();
  }
  out.write(shell.data() + from, static_cast<std::streamsize>(shell.size() - from));
  out << "\n";
}

}  // namespace canbao::detail
