# Policy test-case files and reform checks through the `canbao` command
# (docs/policy-tests.md, docs/reforms.md). Included by tests/CMakeLists.txt.
if(NOT TARGET canbao_cli)
  return()
endif()

set(_ex "${PROJECT_SOURCE_DIR}/examples")

# Every example case file runs against the policy of the same name.
file(GLOB _case_files CONFIGURE_DEPENDS "${_ex}/cases/*.cases.json")
foreach(_cases IN LISTS _case_files)
  get_filename_component(_name "${_cases}" NAME)
  string(REPLACE ".cases.json" "" _stem "${_name}")
  add_test(NAME cases.${_stem}
           COMMAND canbao_cli test "${_ex}/policies/${_stem}.json" "${_cases}")
endforeach()

# One wrong expectation must fail the run (exit 1) ...
add_test(NAME cases.wrong_expectation_fails
         COMMAND canbao_cli test "${_ex}/policies/000-xx-town-2021.json"
                 "${PROJECT_SOURCE_DIR}/tests/data/cases/000-wrong.cases.json")
set_tests_properties(cases.wrong_expectation_fails PROPERTIES WILL_FAIL TRUE)
# ... and print that case's expected and actual values (exit code ignored here).
add_test(NAME cases.wrong_expectation_shows_expected_and_got
         COMMAND sh -c "\"$0\" \"$@\"; true" $<TARGET_FILE:canbao_cli> test
                 "${_ex}/policies/000-xx-town-2021.json"
                 "${PROJECT_SOURCE_DIR}/tests/data/cases/000-wrong.cases.json")
set_tests_properties(cases.wrong_expectation_shows_expected_and_got PROPERTIES
  PASS_REGULAR_EXPRESSION "FAIL  WRONG ON PURPOSE[^\n]*\n[^\n]*total_fen: expected 123400, got 98720\n[^\n]*payouts\\.dongfeng\\.tier: expected 1, got 2\n[^\n]*payouts\\.dongfeng\\.amount_fen: expected 123400, got 98720")

# The 80 -> 90 fen second tier: only heping (completed 2021-10-15, 1,486
# insured) changes, by 1,486 x 10 fen; the total goes 6779.60 -> 6928.20 yuan.
add_test(NAME diff.000_second_tier_90
         COMMAND canbao_cli diff "${_ex}/policies/000-xx-town-2021.json"
                 --patch "${_ex}/patches/000-second-tier-90.merge.json"
                 --progress "${_ex}/progress/000-xx-town-2021.csv" --as-of 2021-12-31)
set_tests_properties(diff.000_second_tier_90 PROPERTIES
  PASS_REGULAR_EXPRESSION "1 of 8 units change.*heping \\*[^\n]*tier 2  tier 2  1188.80 +1337.40 +\\+148.60.*total +6779.60 +6928.20 +\\+148.60")

# A patch that breaks the policy is rejected with its path; nothing is compared.
add_test(NAME diff.invalid_patch_rejected
         COMMAND canbao_cli diff "${_ex}/policies/000-xx-town-2021.json"
                 --patch "${_ex}/patches/000-tiers-out-of-order.merge.json"
                 --progress "${_ex}/progress/000-xx-town-2021.csv" --as-of 2021-12-31)
set_tests_properties(diff.invalid_patch_rejected PROPERTIES WILL_FAIL TRUE)
add_test(NAME diff.invalid_patch_names_path
         COMMAND sh -c "\"$0\" \"$@\" 2>&1; true" $<TARGET_FILE:canbao_cli> diff
                 "${_ex}/policies/000-xx-town-2021.json"
                 --patch "${_ex}/patches/000-tiers-out-of-order.merge.json"
                 --progress "${_ex}/progress/000-xx-town-2021.csv" --as-of 2021-12-31)
set_tests_properties(diff.invalid_patch_names_path PROPERTIES
  PASS_REGULAR_EXPRESSION "^canbao diff: reformed policy: work_fund\\.tiers\\[2\\]\\.deadline: [^\n]*\n$")

# The 50/45 age rule on the sample roster: two people change scheme.
add_test(NAME diff.004_age_rule_50_45
         COMMAND canbao_cli diff "${_ex}/policies/004-shiyan-2023.json"
                 --patch "${_ex}/patches/004-age-rule-50-45.json"
                 --roster "${_ex}/rosters/004-sample.csv" --as-of 2023-06-30)
set_tests_properties(diff.004_age_rule_50_45 PROPERTIES
  PASS_REGULAR_EXPRESSION "2 of 30 change scheme or actions.*resident enroll_resident +employee enroll_employee +2 +\\*")

# diff takes --as-of like every other command: outside 1900..2200 is a usage error naming the range.
add_test(NAME diff.as_of_outside_supported_range
         COMMAND sh -c "\"$0\" \"$@\" 2>&1; echo \"exit $?\"" $<TARGET_FILE:canbao_cli> diff
                 "${_ex}/policies/000-xx-town-2021.json"
                 --patch "${_ex}/patches/000-second-tier-90.merge.json"
                 --progress "${_ex}/progress/000-xx-town-2021.csv" --as-of 2300-01-01)
set_tests_properties(diff.as_of_outside_supported_range PROPERTIES PASS_REGULAR_EXPRESSION
  "^canbao diff: --as-of: 2300-01-01 is outside the supported range 1900-01-01\\.\\.2200-12-31\n[^\n]*\nexit 2\n$")
