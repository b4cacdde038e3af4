// JSON writers for the single answers that have no text or CSV writer in the
// library: a recommendation, the phases on a day, a retirement schedule and a
// parsed ID number. Each writes the same value call_json answers for the op
// (recommend, phases_on, retirement, parse_id), then a newline; indent -1
// writes one line, the bytes of call_json. The campaign results' JSON writers
// sit beside their text and CSV writers in report.hpp, the comparison's in
// compare.hpp. Writers only format; they never evaluate.
#pragma once

#include <canbao/export.hpp>

#include <iosfwd>
#include <vector>

#include <canbao/calendar.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/resident_id.hpp>
#include <canbao/retirement.hpp>

namespace canbao {

// {"scheme", "actions", "groups", "facts", "fired", "reason_zh", "reason_en"}
// (docs/recommendation.md).
CANBAO_API void write_recommendation_json(const Recommendation& recommendation, std::ostream& out,
                               int indent = 2);

// An array of {"id", "name", "start", "end", "source"?}, e.g. phases_on(...).
CANBAO_API void write_phases_json(const std::vector<const Phase*>& phases, std::ostream& out, int indent = 2);

// The statutory retirement schedule (docs/retirement.md).
CANBAO_API void write_retirement_json(const RetirementSchedule& schedule, std::ostream& out, int indent = 2);

// {"region_code", "birth_date", "sex"}: never the number, not even masked
// (masked digits plus the birth date would spell it whole).
CANBAO_API void write_resident_id_json(const ResidentId& id, std::ostream& out, int indent = 2);

}  // namespace canbao
