// The JSON form of a CampaignCost: what call_json answers for {"op":"costs"}
// and write_campaign_cost_json prints (campaign_cost_writers.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include <canbao/campaign_cost.hpp>

namespace canbao::detail {

nlohmann::json to_json_value(const CampaignCost& cost, const Policy& policy);

}  // namespace canbao::detail
