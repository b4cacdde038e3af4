// Boost.Date_Time at the edges: convert canbao::Date to and from
// boost::gregorian::date for callers whose code already speaks Boost.
// (canbao's own evaluation uses Date day numbers; Boost stays at the boundary.)
#pragma once

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <canbao/date.hpp>
#include <canbao/error.hpp>

namespace canbao {

inline boost::gregorian::date to_boost(Date d) {
  const YearMonthDay ymd = d.ymd();
  return boost::gregorian::date(static_cast<unsigned short>(ymd.year),
                                static_cast<unsigned short>(ymd.month),
                                static_cast<unsigned short>(ymd.day));
}

inline Date from_boost(const boost::gregorian::date& d) {
  if (d.is_special()) {
    throw ArgumentError("date", "a special Boost date (not-a-date-time or infinity) is not a day");
  }
  const auto ymd = d.year_month_day();
  return *Date::from_ymd(ymd.year, ymd.month, ymd.day);
}

}  // namespace canbao
