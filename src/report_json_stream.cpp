// JsonHoles (detail/result_json.hpp): a national report (700,000 units) as
// one nlohmann DOM took GBs. The builders put a marker where each per-unit
// array goes; the small rest (the "shell") is dumped as usual and the arrays
// are written element by element where their markers are. nlohmann sorts an
// object's keys, so the shell's dump puts every array exactly where the whole
// DOM's dump would: the bytes are the same (tests/unit/test_report_json_stream.cpp).
#include <algorithm>
#include <ostream>
#include <string>

#include "detail/result_json.hpp"

namespace canbao::detail {

nlohmann::json JsonHoles::array(JsonHoles* holes, std::size_t size, Element element) {
  if (!holes) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < size; ++i) out.push_back(element(i));
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
                         int indent) {
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
  std::size_t from = 0;
  std::string element;
  for (const auto& [pos, hole] : at) {
    out.write(shell.data() + from, static_cast<std::streamsize>(pos - from));
    out.put('[');
    for (std::size_t i = 0; i < hole->size; ++i) {
      if (i > 0) out.put(',');
      element = hole->element(i).dump(indent);
      out.write(element.data(), static_cast<std::streamsize>(element.size()));
    }
    out.put(']');
    from = pos + hole->marker.size();
  }
  out.write(shell.data() + from, static_cast<std::streamsize>(shell.size() - from));
  out << "\n";
}

}  // namespace canbao::detail
