# The bad-input corpus (tests/bad-inputs/README.md): every case through the C
# ABI (bad_inputs_c), Python and the CLI (pytest). Included by tests/CMakeLists.txt.
file(GLOB CANBAO_BAD_INPUT_CASES CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/cases/*.json")
add_executable(bad_inputs_c "${CMAKE_CURRENT_LIST_DIR}/run_c.cpp")
target_link_libraries(bad_inputs_c PRIVATE canbao::canbao nlohmann_json::nlohmann_json)
target_compile_options(bad_inputs_c PRIVATE ${CANBAO_WARNINGS})
add_test(NAME bad_inputs.c COMMAND bad_inputs_c "${PROJECT_SOURCE_DIR}" ${CANBAO_BAD_INPUT_CASES})

if(CANBAO_BUILD_PYTHON)
  add_test(NAME bad_inputs.python_cli COMMAND /usr/bin/python3 -m pytest -q "${CMAKE_CURRENT_LIST_DIR}"
           WORKING_DIRECTORY "${CMAKE_CURRENT_LIST_DIR}")
  set_tests_properties(bad_inputs.python_cli PROPERTIES ENVIRONMENT "${_python_env}")
endif()
