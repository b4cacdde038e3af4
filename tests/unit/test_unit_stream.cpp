// Inline units read while the policy JSON is parsed (detail/unit_stream.hpp,
// issue 15) and UnitTree::find's flat index (detail/unit_index.hpp). The
// streamed policy is the DOM reader's policy, field for field; any unit the
// stream does not take, and any error in the units, gives the DOM reader's
// error, byte for byte, when loading and when checking.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <canbao/error.hpp>
#include <canbao/policy.hpp>
#include <canbao/policy_check.hpp>

#include "detail/json_reader.hpp"
#include "detail/model_access.hpp"
#include "detail/policy_check.hpp"
#include "detail/policy_reader.hpp"
#include "detail/unit_stream.hpp"
#include "source_files.hpp"

namespace canbao {
namespace {

using canbao_test::source_text;
using nlohmann::json;

PolicyPtr dom_policy(const std::string& text) {
  return detail::read_policy_document(detail::parse_json_text(text, "policy.json"));
}

void expect_same_units(const Policy& a, const Policy& b) {
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  EXPECT_EQ(a.units.roots(), b.units.roots());
  EXPECT_EQ(a.units.order(), b.units.order());
  ASSERT_EQ(a.units.units.size(), b.units.units.size());
  for (std::size_t i = 0; i < a.units.units.size(); ++i) {
    const Unit& x = a.units.units[i];
    const Unit& y = b.units.units[i];
    SCOPED_TRACE(x.id);
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.level, y.level);
    EXPECT_EQ(x.parent, y.parent);
    EXPECT_EQ(x.source, y.source);
    EXPECT_EQ(x.bases, y.bases);
    EXPECT_EQ(x.parent_index(), y.parent_index());
    EXPECT_EQ(x.children(), y.children());
    EXPECT_EQ(x.depth(), y.depth());
    EXPECT_EQ(a.units.find(x.id), b.units.find(y.id));
    ASSERT_EQ(x.targets.size(), y.targets.size());
    for (std::size_t t = 0; t < x.targets.size(); ++t) {
      EXPECT_EQ(x.targets[t].metric, y.targets[t].metric);
      EXPECT_EQ(x.targets[t].metric_index(), y.targets[t].metric_index());
      EXPECT_EQ(x.targets[t].value, y.targets[t].value);
      EXPECT_EQ(x.targets[t].origin, y.targets[t].origin);
    }
    ASSERT_EQ(x.allocations.size(), y.allocations.size());
    for (std::size_t k = 0; k < x.allocations.size(); ++k) {
      EXPECT_EQ(x.allocations[k].metric, y.allocations[k].metric);
      EXPECT_EQ(x.allocations[k].base, y.allocations[k].base);
      EXPECT_EQ(x.allocations[k].minimum, y.allocations[k].minimum);
    }
  }
}

TEST(UnitStream, EveryExampleStreamsToTheDomPolicy) {
  int streamed = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(CANBAO_SOURCE_DIR "/examples/policies")) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(name);
    const std::string text = source_text("examples/policies/" + name);
    const PolicyPtr dom = dom_policy(text);
    try {
      expect_same_units(*detail::read_policy_streamed(text, "policy.json", nullptr, nullptr), *dom);
      ++streamed;
    } catch (const detail::StreamFallback&) {
    }
    expect_same_units(*load_policy(text), *dom);
  }
  // 000 and 001 (its allocations kept as JSON) at least take the stream.
  EXPECT_GE(streamed, 2);
}

TEST(UnitStream, AllocationsStreamAndSplitAsFromTheDom) {
  const std::string text = source_text("examples/policies/004-shiyan-2023.json");
  const PolicyPtr p = detail::read_policy_streamed(text, "policy.json", nullptr, nullptr);
  bool allocated = false;
  for (const Unit& u : p->units.units)
    for (const Target& t : u.targets) allocated = allocated || t.origin == TargetOrigin::allocated;
  EXPECT_TRUE(allocated);
  expect_same_units(*p, *dom_policy(text));
}

// The DOM reader's first error, and a DOM check's diagnostics.
std::pair<std::string, std::string> dom_error(const std::string& text) {
  try {
    dom_policy(text);
  } catch (const Error& e) {
    return {e.where(), e.message()};
  }
  return {"(loaded)", ""};
}

std::vector<std::string> dom_check(const std::string& text) {
  PolicyCheck out;
  try {
    detail::CheckCollector collector(out, 50);
    try {
      dom_policy(text);
    } catch (const Error& e) {
      collector.add(Severity::error, e.where(), e.message());
    } catch (const detail::Silent&) {
    }
  } catch (const detail::CheckFull&) {
  }
  std::vector<std::string> lines;
  for (const auto& d : out.diagnostics) lines.push_back(d.path + ": " + d.message);
  return lines;
}

std::vector<std::string> check_lines(const std::string& text) {
  std::vector<std::string> lines;
  for (const auto& d : check_policy_text(text, CheckOptions{}, "policy.json").diagnostics)
    if (d.severity == Severity::error) lines.push_back(d.path + ": " + d.message);
  return lines;
}

std::pair<std::string, std::string> load_error(const std::string& text) {
  try {
    load_policy(text, "policy.json");
  } catch (const Error& e) {
    return {e.where(), e.message()};
  }
  return {"(loaded)", ""};
}

TEST(UnitStream, UnitsTheStreamDoesNotTakeGiveTheDomReadersErrors) {
  // 004: a town allocating expansion_enrolled over five villages by a base.
  const json base = json::parse(source_text("examples/policies/004-shiyan-2023.json"));
  const std::vector<std::function<void(json&)>> edits = {
      [](json& j) { j["units"][3]["id"] = ""; },
      [](json& j) { j["units"][3]["id"] = 5; },
      [](json& j) { j["units"][3].erase("name"); },
      [](json& j) { j["units"][4]["id"] = j["units"][2]["id"]; },
      [](json& j) { j["units"][3]["nmae"] = "x"; },
      [](json& j) {
        j["units"][3]["targets"] = {{"no_such_metric", 5}};
      },
      [](json& j) {
        j["units"][3]["targets"] = {{"falsified_cases", -5}};
      },
      [](json& j) {
        j["units"][3]["targets"] = {{"falsified_cases", 1.5}};
      },
      [](json& j) {
        j["units"][3]["targets"] = {{"falsified_cases", "100"}};
      },
      [](json& j) {
        j["units"][3]["targets"] = {{"falsified_cases", nullptr}};
      },
      [](json& j) {
        j["units"][3]["targets"] = {{"expansion_enrolled", 5}};
      },
      [](json& j) {
        j["units"][3]["bases"] = {{"unenrolled_found", -1}};
      },
      [](json& j) { j["units"][3]["bases"] = json::array(); },
      [](json& j) { j["units"][3].erase("bases"); },
      [](json& j) { j["units"][3]["parent"] = "nowhere"; },
      [](json& j) { j["units"][3]["parent"] = ""; },
      [](json& j) { j["units"][3]["source"] = ""; },
      [](json& j) { j["units"][3]["allocate"] = nullptr; },
      [](json& j) { j["units"][0]["allocate"][0]["metric"] = "no_such_metric"; },
      [](json& j) { j["units"][0]["allocate"][0]["extra"] = 1; },
      [](json& j) { j["units"][0]["allocate"][0]["minimum"] = 1000; },
      [](json& j) { j["units"][0]["allocate"] = json::object(); },
      [](json& j) { j["units"][3] = "a unit"; },
      [](json& j) { j["units"][3] = json::array(); },
      [](json& j) { j["units"] = json::array(); },
      [](json& j) { j["metrics"][0]["kind"] = "counts"; },
      [](json& j) {
        j["units"][3]["parent"] = j["units"][4]["id"];
        j["units"][4]["parent"] = j["units"][3]["id"];
      },
  };
  std::vector<std::string> texts;
  for (const auto& edit : edits) {
    json doc = base;
    edit(doc);
    texts.push_back(doc.dump(1));
  }
  // Repeated keys and broken syntax are written as text (a DOM cannot hold
  // them), in the units array, which is written last.
  json rest = base;
  rest.erase("units");
  std::string head = rest.dump(1);
  head.pop_back();  // "}"
  const std::string units = base["units"].dump(1);
  const auto with = [&](const std::string& from, const std::string& to) {
    std::string u = units;
    const auto at = u.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) u.replace(at, from.size(), to);
    return head + ",\"units\": " + u + "}";
  };
  texts.push_back(with("\"level\":", "\"level\": \"x\", \"level\":"));
  texts.push_back(with("\"metric\":", "\"metric\": \"x\", \"metric\":"));
  texts.push_back(with("\"unenrolled_found\":", "\"unenrolled_found\": 1, \"unenrolled_found\":"));
  texts.push_back(with("\"level\":", "\"level\": tru,"));
  texts.push_back(head + ",\"units\": [], \"units\": " + units + "}");
  texts.push_back(with("", "").substr(0, head.size() + units.size() / 2));
  ASSERT_EQ(load_error(with("", "")), std::make_pair(std::string("(loaded)"), std::string()));
  for (std::size_t i = 0; i < texts.size(); ++i) {
    SCOPED_TRACE("edit " + std::to_string(i));
    EXPECT_EQ(load_error(texts[i]), dom_error(texts[i]));
    EXPECT_EQ(check_lines(texts[i]), dom_check(texts[i]));
  }
}

TEST(UnitStream, ANullParentOrSourceIsNone) {
  json doc = json::parse(source_text("examples/policies/000-xx-town-2021.json"));
  doc["units"][0]["parent"] = nullptr;
  doc["units"][1]["source"] = nullptr;
  const std::string text = doc.dump();
  expect_same_units(*detail::read_policy_streamed(text, "policy.json", nullptr, nullptr),
                    *dom_policy(text));
}

TEST(UnitIndex, FindsEveryIdAndTheFirstOfARepeatedOne) {
  EXPECT_EQ(UnitTree{}.find("x"), -1);
  UnitTree tree;
  // No reservation: the index grows as units are added.
  for (int i = 0; i < 5000; ++i) {
    tree.units.emplace_back().id = "u" + std::to_string(i);
    EXPECT_EQ(detail::ModelAccess::add_to_index(tree, i), -1);
  }
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(tree.find("u" + std::to_string(i)), i);
  EXPECT_EQ(tree.find("u5000"), -1);
  EXPECT_EQ(tree.find(""), -1);
  // A repeated id: add_to_index names the first; index_first moves it to an
  // earlier placeholder.
  tree.units.emplace_back().id = "u7";
  EXPECT_EQ(detail::ModelAccess::add_to_index(tree, 5000), 7);
  EXPECT_EQ(tree.find("u7"), 7);
  tree.units[3].id = "dup";
  tree.units.emplace_back().id = "dup";
  EXPECT_EQ(detail::ModelAccess::add_to_index(tree, 5001), -1);
  detail::ModelAccess::index_first(tree, 3);
  EXPECT_EQ(tree.find("dup"), 3);
  // A copy finds the same; a unit removed after loading is not found.
  const UnitTree copy = tree;
  EXPECT_EQ(copy.find("u4999"), 4999);
  tree.units.resize(10);
  EXPECT_EQ(tree.find("u4999"), -1);
  EXPECT_EQ(tree.find("u9"), 9);
}

}  // namespace
}  // namespace canbao
