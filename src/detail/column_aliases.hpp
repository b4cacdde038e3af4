// The Chinese column names offices use for canbao's table columns: the ONE
// table of them (docs/office-data.md shows the same table). A header cell is
// trimmed of surrounding spaces, then either a canonical name or one of these
// aliases, matched exactly (no fuzzy matching). Two header cells naming one
// column (an alias and its canonical name, or two aliases) are an error.
#pragma once

#include <string_view>

namespace canbao::detail {

struct ColumnAlias {
  std::string_view alias;   // as written in the header (UTF-8)
  std::string_view column;  // canbao's column name
};

struct AliasTable {
  const ColumnAlias* begin;
  const ColumnAlias* end;
  // The canonical column of a header cell: its alias's column, or itself.
  std::string_view canonical(std::string_view header) const;
};

// unit_id, metric, date, value, segment, submitted (docs/progress.md).
AliasTable progress_column_aliases();
// id, id_number, name, sex, ... and unit_id (docs/roster.md).
AliasTable roster_column_aliases();

// The header cell whose unit column holds unit ids or names: "单位" (either),
// while "单位编码" and "unit_id" hold ids only.
constexpr std::string_view kUnitIdOrName = "\xE5\x8D\x95\xE4\xBD\x8D";  // 单位

}  // namespace canbao::detail
