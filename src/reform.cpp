// Reforms: patch the base policy's canonical JSON, then load the result like
// any policy document. JSON Patch operations are applied one at a time so an
// error can name the operation (patch[2]) that failed and why.
#include <canbao/reform.hpp>

#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include <canbao/detail/message_text.hpp>
#include <canbao/error.hpp>

#include "detail/json_reader.hpp"

namespace canbao {
namespace {

using nlohmann::json;

// nlohmann's messages start with "[json.exception.out_of_range.403] ": the
// id means nothing to a policy author, the rest is the reason.
std::string reason_of(const json::exception& e) {
  const std::string what = e.what();
  const auto pos = what.find("] ");
  return pos == std::string::npos ? what : what.substr(pos + 2);
}

// Strict like a policy: nesting limit, duplicate keys, NUL bytes (json_reader.hpp).
json parse_patch(const std::string& text, const std::string& source) {
  return detail::parse_json_text(text, source, source);
}

std::string op_place(const std::string& source, std::size_t i) {
  const std::string op = "patch[" + std::to_string(i) + "]";
  return source == "patch" ? op : source + ": " + op;
}

// RFC 6902 section 4.6 "test", checked here so the message says what the
// value was and what the patch expected.
void check_test_op(const json& doc, const json& op, const std::string& where) {
  if (!op.contains("value"))
    throw PolicyError(where, "operation \"test\" must have member \"value\"");
  const json::json_pointer pointer(op.at("path").get<std::string>());
  const std::string path = pointer.to_string();
  if (!doc.contains(pointer)) {
    throw PolicyError(where, "test failed: " + detail::excerpt(path) +
                                 " does not exist, expected " +
                                 detail::excerpt(op.at("value").dump()));
  }
  const json& got = doc.at(pointer);
  if (got != op.at("value")) {
    throw PolicyError(where, "test failed: " + detail::excerpt(path) + " is " +
                                 detail::excerpt(got.dump()) + ", expected " +
                                 detail::excerpt(op.at("value").dump()));
  }
}

json apply_json_patch(json doc, const json& patch, const std::string& source) {
  for (std::size_t i = 0; i < patch.size(); ++i) {
    const json& op = patch[i];
    const std::string where = op_place(source, i);
    if (!op.is_object())
      throw PolicyError(where, "expected an operation object, got " + detail::json_type_name(op));
    if (!op.contains("op") || !op["op"].is_string())
      throw PolicyError(where + ".op", "required string is missing");
    if (!op.contains("path") || !op["path"].is_string())
      throw PolicyError(where + ".path", "required string is missing");
    try {
      if (op["op"] == "test") {
        check_test_op(doc, op, where);
      } else {
        doc = doc.patch(json::array({op}));
      }
    } catch (const json::exception& e) {
      // A malformed pointer, an unknown op, a path that does not exist, ...
      throw PolicyError(where, reason_of(e));
    }
  }
  return doc;
}

}  // namespace

const char* patch_kind_name(PatchKind kind) noexcept {
  switch (kind) {
    case PatchKind::detect:
      return "detect";
    case PatchKind::merge_patch:
      return "merge_patch";
    case PatchKind::json_patch:
      return "json_patch";
  }
  return "?";
}

PolicyPtr apply_reform(const Policy& base, const std::string& patch_text, PatchKind kind,
                       const std::string& source) {
  const json patch = parse_patch(patch_text, source);
  if (kind == PatchKind::detect) {
    if (patch.is_object()) {
      kind = PatchKind::merge_patch;
    } else if (patch.is_array()) {
      kind = PatchKind::json_patch;
    } else {
      throw PolicyError(source,
                        "expected an object (JSON Merge Patch) or an array (JSON Patch), got " +
                            detail::json_type_name(patch));
    }
  }
  json doc = json::parse(to_json(base, -1));
  if (kind == PatchKind::merge_patch) {
    // RFC 7386 lets a non-object replace the whole document: never a policy change.
    if (!patch.is_object()) {
      throw PolicyError(source,
                        "a merge patch must be an object, got " + detail::json_type_name(patch));
    }
    doc.merge_patch(patch);
  } else {
    if (!patch.is_array()) {
      throw PolicyError(source, "a JSON Patch must be an array of operations, got " +
                                    detail::json_type_name(patch));
    }
    doc = apply_json_patch(std::move(doc), patch, source);
  }

  PolicyPtr reformed;
  try {
    reformed = load_policy(doc.dump(), "reformed policy");
  } catch (const PolicyError& e) {
    // Keep the policy's own JSON path: the author looks it up in the patched document.
    throw PolicyError("reformed policy: " + e.where(), e.message());
  }
  auto out = std::make_shared<Policy>(*reformed);
  out->provenance = Provenance{base.fingerprint(), patch_kind_name(kind), patch.dump()};
  return out;
}

PolicyPtr apply_reform_file(const Policy& base, const std::string& patch_path, PatchKind kind) {
  // The OS would open only the part before a NUL.
  if (patch_path.find('\0') != std::string::npos)
    throw PolicyError("patch", "the path contains a NUL byte");
  std::ifstream in(patch_path, std::ios::binary);
  if (!in) throw PolicyError(patch_path, "cannot open the patch file");
  std::ostringstream text;
  text << in.rdbuf();
  return apply_reform(base, text.str(), kind, patch_path);
}

std::string provenance_text(const Policy& policy) {
  if (!policy.provenance) return "";
  const Provenance& p = *policy.provenance;
  return "base " + p.base_fingerprint + " + " + p.patch_kind + " " + p.patch;
}

}  // namespace canbao
