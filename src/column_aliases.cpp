#include "detail/column_aliases.hpp"

namespace canbao::detail {
namespace {

// Words of 001/003/004's forms and of the 社保 systems' exports (domain.md).
constexpr ColumnAlias kProgress[] = {
    {"单位编码", "unit_id"}, {"单位", "unit_id"}, {"指标", "metric"},  {"日期", "date"},
    {"数值", "value"},       {"分组", "segment"}, {"行业", "segment"}, {"报送日期", "submitted"},
};

constexpr ColumnAlias kRoster[] = {
    {"编号", "id"},
    {"身份证号", "id_number"},
    {"公民身份号码", "id_number"},
    {"姓名", "name"},
    {"性别", "sex"},
    {"出生日期", "birth_date"},
    {"户籍", "hukou_local"},
    {"参保状态", "insurance_status"},
    {"就业类型", "employment"},
    {"缴费档次", "resident_grade_yuan"},
    {"标识", "flags"},
    {"单位编码", "unit_id"},
    {"单位", "unit_id"},
};

}  // namespace

std::string_view AliasTable::canonical(std::string_view header) const {
  for (const ColumnAlias* a = begin; a != end; ++a) {
    if (a->alias == header) return a->column;
  }
  return header;
}

AliasTable progress_column_aliases() { return {std::begin(kProgress), std::end(kProgress)}; }
AliasTable roster_column_aliases() { return {std::begin(kRoster), std::end(kRoster)}; }

}  // namespace canbao::detail
