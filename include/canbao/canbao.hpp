// Umbrella header: all of canbao's C++ API. (date_boost.hpp, the Boost.Date_Time
// conversions, is left out so that including canbao does not require Boost headers.)
#pragma once

#include <canbao/allocation.hpp>
#include <canbao/batch.hpp>
#include <canbao/calendar.hpp>
#include <canbao/compare.hpp>
#include <canbao/date.hpp>
#include <canbao/error.hpp>
#include <canbao/evaluation.hpp>
#include <canbao/json_api.hpp>
#include <canbao/late_reports.hpp>
#include <canbao/metric.hpp>
#include <canbao/metric_values.hpp>
#include <canbao/milestone.hpp>
#include <canbao/money.hpp>
#include <canbao/person.hpp>
#include <canbao/policy.hpp>
#include <canbao/policy_test.hpp>
#include <canbao/progress.hpp>
#include <canbao/ranking.hpp>
#include <canbao/ratio.hpp>
#include <canbao/recommendation.hpp>
#include <canbao/recommender.hpp>
#include <canbao/reform.hpp>
#include <canbao/report.hpp>
#include <canbao/resident_id.hpp>
#include <canbao/result_json.hpp>
#include <canbao/retirement.hpp>
#include <canbao/roster.hpp>
#include <canbao/scoring.hpp>
#include <canbao/sex.hpp>
#include <canbao/unit.hpp>
#include <canbao/version.hpp>
#include <canbao/work_fund.hpp>
