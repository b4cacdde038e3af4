// The parts of call_json requests several ops share: persons (with the
// policy's declared facts and lists) and progress (records or CSV text).
#include <sstream>

#include <canbao/detail/message_text.hpp>
#include <canbao/resident_id.hpp>

#include "detail/json_request.hpp"

namespace canbao::detail::request {

// ---- request parts ---------------------------------------------------------

// The facts a policy declares (none without a recommendation section).
const FactDeclarations& declared_facts(const Policy& p) {
  static const FactDeclarations none;
  return p.recommendation ? p.recommendation->facts : none;
}

bool read_bool(const json& j, const std::string& path) {
  if (!j.is_boolean())
    throw InputError(path, "expected true or false, got " + detail::json_type_name(j));
  return j.get<bool>();
}

std::string read_text(const json& j, const std::string& path) {
  return as_input([&] { return detail::read_string(j, path); });
}

// The policy's declared facts ("facts": {"veteran": true, ...}) in their
// natural JSON types, as the policy writes defaults: true, 12, "cadre",
// "2023-06-30", ["graduate"]. A fact left out takes its default; one
// without a default is required.
void read_declared_facts(const json* j, const std::string& path, const FactDeclarations& facts,
                         Person& p) {
  if (j != nullptr && !j->is_object())
    throw InputError(path,
                     "expected an object of declared facts, got " + detail::json_type_name(*j));
  if (j != nullptr) {
    for (const auto& item : j->items()) {
      // Not a structured binding: C++17 lambdas cannot capture one (clang refuses).
      const std::string& id = item.key();
      const json& v = item.value();
      const std::string at = path + "." + detail::excerpt(id);
      const int k = facts.index_of(id);
      if (k < 0) throw InputError(at, "the policy declares no such fact");
      const FactDeclaration& f = facts.facts[static_cast<std::size_t>(k)];
      std::string text, why;
      if (f.type == FactType::boolean) {
        p.facts[id] = read_bool(v, at) ? 1 : 0;
        continue;
      }
      if (f.type == FactType::integer) {
        p.facts[id] = static_cast<FactValue>(
            as_input([&] { return detail::read_integer(v, at, f.min, f.max); }));
        continue;
      }
      if (f.type == FactType::flags) {
        if (!v.is_array())
          throw InputError(at, "expected an array of flag ids, got " + detail::json_type_name(v));
        for (std::size_t i = 0; i < v.size(); ++i)
          text += (i ? ";" : "") + read_text(v[i], detail::path_index(at, i));
      } else {
        text = read_text(v, at);  // an enumeration value's id, a date
      }
      const auto value = f.parse(text, &why);
      if (!value) throw InputError(at, detail::mask_id_numbers(why));
      p.facts[id] = *value;
    }
  }
  for (const FactDeclaration& f : facts.facts) {
    if (!f.default_value && p.facts.find(f.id) == p.facts.end())
      throw InputError(
          path + "." + f.id,
          "required key is missing (the fact has no default; expected " + f.expected() + ")");
  }
}

// A person's facts (person.hpp). sex and birth_date are required unless
// id_number gives them; the other facts default to Person's defaults, the
// declared ones (`facts`, the policy's) to their declared defaults.
// A value of a built-in list (built-in or added by the policy) as its code.
int builtin_code(const std::string& text, const std::string& path, const BuiltinValues& builtin,
                 BuiltinList l) {
  const int v = builtin.code(l, text);
  if (v < 0) {
    throw InputError(path, std::string("unknown ") + builtin_list_name(l) + " \"" +
                               detail::excerpt(text) + "\" (expected one of: " + builtin.names(l) +
                               ")");
  }
  return v;
}

Person read_person(const json& j, const std::string& path, const FactDeclarations& facts) {
  Person p;
  detail::ObjectReader r = as_input([&] { return detail::ObjectReader(j, path); });
  const json* id = as_input([&] { return r.optional("id_number"); });
  std::optional<Sex> id_sex;
  std::optional<Date> id_birth;
  if (id != nullptr) {
    const std::string id_path = r.path_of("id_number");
    const ResidentId rid = ResidentId::parse(read_text(*id, id_path), id_path);
    id_sex = rid.sex();
    id_birth = rid.birth_date();
  }
  if (const json* sex = as_input([&] { return r.optional("sex"); })) {
    const std::string sex_path = r.path_of("sex");
    const std::string text = read_text(*sex, sex_path);
    if (!parse_sex(text, &p.sex))
      throw InputError(sex_path,
                       "expected \"male\" or \"female\", got \"" + detail::excerpt(text) + "\"");
    if (id_sex && *id_sex != p.sex) throw InputError(sex_path, "disagrees with id_number");
  } else if (id_sex) {
    p.sex = *id_sex;
  } else {
    throw InputError(r.path_of("sex"), "required key is missing (or give id_number)");
  }
  if (r.has("birth_date")) {
    p.birth_date = as_input([&] { return r.date("birth_date"); });
    if (id_birth && *id_birth != p.birth_date)
      throw InputError(r.path_of("birth_date"), "disagrees with id_number");
  } else if (id_birth) {
    p.birth_date = *id_birth;
  } else {
    throw InputError(r.path_of("birth_date"), "required key is missing (or give id_number)");
  }
  if (const json* v = as_input([&] { return r.optional("hukou_local"); })) {
    p.hukou_local = read_bool(*v, r.path_of("hukou_local"));
  }
  if (const json* v = as_input([&] { return r.optional("insurance_status"); })) {
    const std::string text = read_text(*v, r.path_of("insurance_status"));
    p.insurance_status = static_cast<InsuranceStatus>(builtin_code(
        text, r.path_of("insurance_status"), facts.builtin, BuiltinList::insurance_status));
  }
  if (const json* v = as_input([&] { return r.optional("employment"); })) {
    const std::string text = read_text(*v, r.path_of("employment"));
    p.employment = static_cast<Employment>(
        builtin_code(text, r.path_of("employment"), facts.builtin, BuiltinList::employment));
  }
  if (auto g = as_input([&] { return r.optional_integer("resident_grade_yuan", 0, 65535); })) {
    p.resident_grade_yuan = static_cast<std::uint16_t>(*g);
  }
  if (const json* v = as_input([&] { return r.optional("flags"); })) {
    const std::string flags_path = r.path_of("flags");
    if (!v->is_array())
      throw InputError(flags_path,
                       "expected an array of flag names, got " + detail::json_type_name(*v));
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string item_path = detail::path_index(flags_path, i);
      const std::string text = read_text((*v)[i], item_path);
      p.flags = static_cast<PersonFlags>(
          p.flags | (1u << builtin_code(text, item_path, facts.builtin, BuiltinList::flags)));
    }
  }
  read_declared_facts(as_input([&] { return r.optional("facts"); }), r.path_of("facts"), facts, p);
  as_input([&] {
    r.done();
    return 0;
  });
  return p;
}

// A non-owning PolicyPtr for the length of one call: Progress keeps a
// PolicyPtr, and call_json's caller owns the policy.
PolicyPtr borrow(const Policy& policy) { return PolicyPtr(PolicyPtr(), &policy); }

// The embeddable surface reads no files (the host does: CLI, Python
// helpers), so a request cannot make the library open a path it names.
void reject_file_key(Request& r, const std::string& key, const std::string& instead) {
  if (r.optional(key) != nullptr) {
    throw InputError(r.path_of(key),
                     "requests carry data, not file names: files are read by the "
                     "host (the canbao command, the Python helpers); give " +
                         instead + " instead");
  }
}

// Progress from exactly one of "progress" (records) or "progress_csv" (CSV
// text, named "progress_csv_name" in messages when given: the host's file name).
Progress read_progress(const Policy& policy, Request& r) {
  reject_file_key(r, "progress_file", "progress_csv (the file's text) or progress (records)");
  const json* records = r.optional("progress");
  const json* csv = r.optional("progress_csv");
  const auto csv_name = r.optional_string("progress_csv_name");
  const int given = (records != nullptr) + (csv != nullptr);
  if (given != 1) {
    throw InputError("request", "give exactly one of progress, progress_csv (got " +
                                    std::to_string(given) + ")");
  }
  if (csv != nullptr) {
    std::istringstream in(read_text(*csv, r.path_of("progress_csv")));
    return read_progress_csv(borrow(policy), in, csv_name.value_or(r.path_of("progress_csv")));
  }
  if (csv_name) throw InputError(r.path_of("progress_csv_name"), "only goes with progress_csv");
  const std::string path = r.path_of("progress");
  if (!records->is_array())
    throw InputError(path,
                     "expected an array of observations, got " + detail::json_type_name(*records));
  std::vector<Observation> observations;
  observations.reserve(records->size());
  for (std::size_t i = 0; i < records->size(); ++i) {
    observations.push_back(as_input([&] {
      detail::ObjectReader o((*records)[i], detail::path_index(path, i));
      Observation ob;
      ob.unit_id = o.string("unit_id");
      ob.metric = o.string("metric");
      ob.date = o.date("date");
      ob.value = o.integer("value");
      ob.segment = o.optional_string("segment").value_or(std::string());  // campaign.segments
      if (o.optional("submitted")) ob.submitted = o.date("submitted");    // late_reports.hpp
      o.done();
      return ob;
    }));
  }
  try {
    return Progress::from_records(borrow(policy), observations);
  } catch (const InputError& e) {
    // "records[3]" -> "request.progress[3]": the caller's own name for it.
    std::string where = e.where();
    if (where.rfind("records", 0) == 0) where = path + where.substr(7);
    throw InputError(where, e.message());
  }
}

}  // namespace canbao::detail::request
