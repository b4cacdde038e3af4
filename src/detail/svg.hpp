// Small helpers for the HTML report (report_html.cpp): HTML escaping and an
// inline SVG drawing with a viewBox, so a chart scales to the page (A4 print)
// and prints the same bytes every time (coordinates with one fixed decimal).
#pragma once

#include <string>

namespace canbao::detail {

// `text` with & < > " ' replaced by entities: safe in element text and in
// double-quoted attribute values.
std::string html_escape(const std::string& text);

// A number as SVG reads it: one decimal, "." as the point, no exponent.
std::string svg_number(double v);

// One <svg> element drawn from the top left, `width` x `height` user units,
// scaled to its container's width by CSS (viewBox, no fixed size).
class Svg {
 public:
  Svg(double width, double height, const std::string& css_class, const std::string& title);
  // Shapes; `css_class` picks the colour from the page's stylesheet; `tip`,
  // when given, is a <title> child (shown on hover, read by screen readers).
  void rect(double x, double y, double w, double h, const std::string& css_class,
            const std::string& tip = "");
  void line(double x1, double y1, double x2, double y2, const std::string& css_class);
  void circle(double cx, double cy, double r, const std::string& css_class,
              const std::string& tip = "");
  // anchor: "start", "middle" or "end".
  void text(double x, double y, const std::string& text, const std::string& css_class,
            const std::string& anchor = "start");
  // Groups: everything drawn between open_group and close_group.
  void open_group(const std::string& css_class, const std::string& data_unit = "");
  void close_group();
  // The finished element.
  std::string str() const { return out_ + "</svg>\n"; }

 private:
  std::string out_;
};

}  // namespace canbao::detail
