// UnitTree::find over its flat index (detail/unit_index.hpp).
#include <canbao/unit.hpp>

#include "detail/unit_index.hpp"

namespace canbao {

int UnitTree::find(std::string_view id) const {
  namespace ui = detail::unit_index;
  if (index_.empty()) return -1;
  const std::uint64_t s = index_[ui::probe(index_, units, id, ui::id_hash(id))];
  return s == 0 ? -1 : ui::slot_unit(s);
}

}  // namespace canbao
