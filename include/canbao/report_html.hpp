// The campaign report as one self-contained HTML5 page (docs/report.md, "HTML
// report"): the same facts as write_report_text, Chinese first with English in
// brackets, plus inline SVG charts: progress against each milestone per unit,
// completion dates against the work-fund tier deadlines, the work fund by tier,
// and scores with grades. Inline CSS, no script, nothing loaded from anywhere;
// printable on A4. Every text from the policy or the progress is
// HTML-escaped. Deterministic: the same report gives the same bytes.
#pragma once

#include <iosfwd>

#include <canbao/export.hpp>
#include <canbao/policy.hpp>
#include <canbao/report.hpp>

namespace canbao {

// `policy` must be the policy the report was made from (names, tiers, grades).
CANBAO_API void write_report_html(const CampaignReport& report, const Policy& policy,
                                  std::ostream& out);

}  // namespace canbao
