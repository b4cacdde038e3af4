// HTML escaping and the inline SVG drawing of the HTML report (detail/svg.hpp).
#include "detail/svg.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace canbao::detail {

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string svg_number(double v) {
  // Round to one decimal; "-0.0" prints as "0" so equal drawings are equal bytes.
  const double r = std::round(v * 10.0) / 10.0;
  if (r == 0.0) return "0";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f", r);
  std::string s = buf;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

namespace {

std::string attr(const char* name, double v) {
  return std::string(" ") + name + "=\"" + svg_number(v) + "\"";
}

std::string class_attr(const std::string& css_class) {
  return css_class.empty() ? std::string() : " class=\"" + html_escape(css_class) + "\"";
}

std::string closing(const std::string& tag, const std::string& tip) {
  if (tip.empty()) return "/>\n";
  return "><title>" + html_escape(tip) + "</title></" + tag + ">\n";
}

}  // namespace

Svg::Svg(double width, double height, const std::string& css_class, const std::string& title) {
  out_ = "<svg viewBox=\"0 0 " + svg_number(width) + " " + svg_number(height) + "\"" +
         class_attr(css_class) + " role=\"img\" aria-label=\"" + html_escape(title) + "\">\n";
}

void Svg::rect(double x, double y, double w, double h, const std::string& css_class,
               const std::string& tip) {
  out_ += "<rect" + attr("x", x) + attr("y", y) + attr("width", w < 0 ? 0 : w) + attr("height", h) +
          class_attr(css_class) + closing("rect", tip);
}

void Svg::line(double x1, double y1, double x2, double y2, const std::string& css_class) {
  out_ += "<line" + attr("x1", x1) + attr("y1", y1) + attr("x2", x2) + attr("y2", y2) +
          class_attr(css_class) + "/>\n";
}

void Svg::circle(double cx, double cy, double r, const std::string& css_class,
                 const std::string& tip) {
  out_ += "<circle" + attr("cx", cx) + attr("cy", cy) + attr("r", r) + class_attr(css_class) +
          closing("circle", tip);
}

void Svg::text(double x, double y, const std::string& text, const std::string& css_class,
               const std::string& anchor) {
  out_ += "<text" + attr("x", x) + attr("y", y) + class_attr(css_class) +
          (anchor == "start" ? std::string() : " text-anchor=\"" + anchor + "\"") + ">" +
          html_escape(text) + "</text>\n";
}

void Svg::open_group(const std::string& css_class, const std::string& data_unit) {
  out_ += "<g" + class_attr(css_class) +
          (data_unit.empty() ? std::string() : " data-unit=\"" + html_escape(data_unit) + "\"") +
          ">\n";
}

void Svg::close_group() { out_ += "</g>\n"; }

}  // namespace canbao::detail
