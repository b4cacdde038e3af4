// The projections section of the text report (projection_text.cpp), shared by
// write_report_text (numbered heading) and write_projections_text.
#pragma once

#include <iosfwd>
#include <string>

#include <canbao/policy.hpp>
#include <canbao/projection.hpp>

namespace canbao::detail {

void write_projections_section(const ProjectionReport& r, const Policy& p, std::ostream& out,
                               const std::string& title);

}  // namespace canbao::detail
