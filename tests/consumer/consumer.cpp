// A downstream C++ program: loads a policy with the C++ API and asks for the
// phases on a day, directly and through call_json. Prints "phases: <ids>".
#include <iostream>
#include <string>

#include <canbao/calendar.hpp>
#include <canbao/json_api.hpp>
#include <canbao/policy.hpp>
#include <canbao/version.hpp>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: consumer POLICY YYYY-MM-DD\n";
    return 2;
  }
  try {
    const canbao::PolicyPtr policy = canbao::load_policy_file(argv[1]);
    const auto day = canbao::parse_iso_date(argv[2]);
    if (!day) return 2;
    std::cout << "canbao " << canbao::version_string() << "\nphases:";
    for (const canbao::Phase* p : canbao::phases_on(policy->campaign, *day))
      std::cout << ' ' << p->id;
    std::cout << '\n'
              << canbao::call_json(
                     *policy, std::string("{\"op\":\"phases_on\",\"date\":\"") + argv[2] + "\"}")
              << '\n';
  } catch (const canbao::Error& e) {
    std::cerr << e.what() << '\n';
    return 1;
  }
  return 0;
}
