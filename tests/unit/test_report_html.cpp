// The HTML report (report_html.hpp) on seed 000 (XX town, 2021), with one
// village renamed to carry every character HTML must escape. The browser test
// (tests/python/test_report_html.py) checks the rendered page; this one checks
// the bytes: balanced tags, escaping, every unit, nothing from the network.
#include <canbao/report_html.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <canbao/policy.hpp>
#include <canbao/progress.hpp>
#include <canbao/report.hpp>

namespace canbao {
namespace {

const std::string kPolicy =
    std::string(CANBAO_SOURCE_DIR) + "/examples/policies/000-xx-town-2021.json";
const std::string kProgress =
    std::string(CANBAO_SOURCE_DIR) + "/examples/progress/000-xx-town-2021.csv";

// 000 with 红旗村 renamed "红旗<村>&\"'" (ids stay, so the progress still reads).
PolicyPtr renamed_policy() {
  std::ifstream in(kPolicy);
  nlohmann::json doc = nlohmann::json::parse(in);
  for (auto& u : doc["units"]) {
    if (u["id"] == "hongqi") u["name"] = "红旗<村>&\"'";
  }
  return load_policy(doc.dump(), "test");
}

std::string html_for(const PolicyPtr& policy, const char* as_of) {
  const Progress progress = read_progress_csv_file(policy, kProgress);
  std::ostringstream out;
  write_report_html(make_report(progress, *parse_iso_date(as_of)), *policy, out);
  return out.str();
}

// Every tag the writer emits opens and closes in order; <meta>, <br> and
// self-closed SVG shapes (<rect .../>) need no closing tag.
std::string unbalanced(const std::string& html) {
  static const std::regex tag(R"(<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*?)(/?)>)");
  static const std::set<std::string> void_elements = {"meta", "br"};
  std::vector<std::string> open;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    const std::string name = m[2];
    if (void_elements.count(name) || m[4] == "/") continue;
    if (m[1] == "") {
      open.push_back(name);
    } else if (open.empty() || open.back() != name) {
      return "</" + name + "> closes <" + (open.empty() ? std::string("nothing") : open.back()) +
             ">";
    } else {
      open.pop_back();
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> never closed";
}

TEST(ReportHtml, TagsAreBalancedAndTheDocumentIsWhole) {
  const PolicyPtr policy = renamed_policy();
  for (const char* as_of : {"2021-09-15", "2021-12-31"}) {
    const std::string html = html_for(policy, as_of);
    EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"zh-CN\">", 0), 0u);
    EXPECT_EQ(unbalanced(html), "") << as_of;
    EXPECT_NE(html.find("@page { size: A4;"), std::string::npos);
    // Nothing a browser would fetch, and no script needed to read it.
    EXPECT_EQ(html.find("http"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
  }
}

TEST(ReportHtml, TheCheckerCatchesABrokenTag) {
  EXPECT_EQ(unbalanced("<p><b>x</p></b>"), "</p> closes <b>");
  EXPECT_EQ(unbalanced("<div><svg><rect/></svg>"), "<div> never closed");
  EXPECT_EQ(unbalanced("<p>a<br>b</p>"), "");
}

TEST(ReportHtml, EscapesNamesAndShowsEveryUnit) {
  const PolicyPtr policy = renamed_policy();
  const std::string html = html_for(policy, "2021-09-15");
  EXPECT_EQ(html.find("红旗<村>"), std::string::npos);
  EXPECT_NE(html.find("红旗&lt;村&gt;&amp;&quot;&#39; hongqi"), std::string::npos);
  // Every unit's label ("东风村 dongfeng") and its table rows by id.
  for (const Unit& u : policy->units.units) {
    if (u.id == "hongqi") continue;
    EXPECT_NE(html.find(u.name + " " + u.id), std::string::npos) << u.id;
    EXPECT_NE(html.find("<tr data-unit=\"" + u.id + "\">"), std::string::npos) << u.id;
  }
}

TEST(ReportHtml, ChartsAndMoneyFromTheReport) {
  const PolicyPtr policy = renamed_policy();
  const std::string html = html_for(policy, "2021-12-31");
  const auto count = [&](const std::string& s) {
    std::size_t n = 0;
    for (auto at = html.find(s); at != std::string::npos; at = html.find(s, at + 1)) ++n;
    return n;
  };
  // Charts: the summary's standings, 7 milestones, the completion timeline,
  // the work fund and the ranking.
  EXPECT_EQ(count("<svg "), 11u);
  // Work fund: three tiers and the late rule, one bar each.
  EXPECT_EQ(count("class=\"bar tier tier-"), 3u);
  EXPECT_EQ(count("class=\"bar late-rule\""), 1u);
  // The total is the report's, in fen for programs and yuan for people.
  const Progress progress = read_progress_csv_file(policy, kProgress);
  const CampaignReport r = make_report(progress, *parse_iso_date("2021-12-31"));
  const Fen total = r.work_fund->total;
  EXPECT_GT(total.count(), 0);
  EXPECT_NE(html.find("<span id=\"work-fund-total\" data-fen=\"" + std::to_string(total.count()) +
                      "\">" + total.yuan_string() + "</span>"),
            std::string::npos);
  // Deterministic: the same report, the same bytes.
  EXPECT_EQ(html, html_for(policy, "2021-12-31"));
}

}  // namespace
}  // namespace canbao
