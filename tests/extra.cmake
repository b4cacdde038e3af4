# C ABI, threads, examples, Python and consumer tests (issue 4). Included by
# tests/CMakeLists.txt; paths relative to the project root.
set(_canbao_c_flags -Wall -Wextra -pedantic -Werror)

# The shared library: canbao itself when built shared, else its twin from cmake/install.cmake.
get_target_property(_canbao_type canbao TYPE)
if(_canbao_type STREQUAL "SHARED_LIBRARY")
  set(_canbao_shared_file "$<TARGET_FILE:canbao>")
elseif(CANBAO_INSTALL)
  set(_canbao_shared_file "$<TARGET_FILE:canbao_shared>")
else()
  set(_canbao_shared_file "")
endif()

# C99 programs against include/canbao.h alone: compiled as C, linked with the
# C++ linker because libcanbao.a carries C++ objects.
function(canbao_c_program name source)
  add_executable(${name} ${source})
  set_target_properties(${name} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
                                           LINKER_LANGUAGE CXX)
  target_compile_options(${name} PRIVATE ${_canbao_c_flags})
  target_link_libraries(${name} PRIVATE canbao::canbao)
endfunction()

canbao_c_program(test_c_abi "${PROJECT_SOURCE_DIR}/tests/c/test_c_abi.c")
add_test(NAME c_abi COMMAND test_c_abi "${PROJECT_SOURCE_DIR}/examples/policies")

# examples/c: run by the tests; under valgrind when it is installed.
canbao_c_program(example_c_recommend "${PROJECT_SOURCE_DIR}/examples/c/recommend.c")
add_test(NAME example.c.recommend
         COMMAND example_c_recommend "${PROJECT_SOURCE_DIR}/examples/policies/004-shiyan-2023.json")
# 004 三(二)1: men under 45 -> employee scheme; a platform worker is priority group 3.
set_tests_properties(example.c.recommend PROPERTIES
  PASS_REGULAR_EXPRESSION "\"actions\":\\[\"enroll_employee\"\\].*\"path\":\"recommendation\\.tables\\[0\\]\\.rows\\[13\\]\".*\"groups\":\\[\"g3\"\\].*\"scheme\":\"employee\"}\nbatch: scheme=employee enroll_employee=yes\n$")
# issue 15: the typed one-person entry (canbao_recommend_one), its example and tests.
canbao_c_program(test_c_recommend_one "${PROJECT_SOURCE_DIR}/tests/c/test_c_recommend_one.c")
add_test(NAME c_abi.recommend_one COMMAND test_c_recommend_one "${PROJECT_SOURCE_DIR}/examples/policies")
# issue 15: the narrow fired-rows output (canbao_table_output.fired_set) and its sets.
canbao_c_program(test_c_fired_set "${PROJECT_SOURCE_DIR}/tests/c/test_c_fired_set.c")
add_test(NAME c_abi.fired_set COMMAND test_c_fired_set "${PROJECT_SOURCE_DIR}/examples/policies")
canbao_c_program(example_c_recommend_one "${PROJECT_SOURCE_DIR}/examples/c/recommend_one.c")
add_test(NAME example.c.recommend_one
         COMMAND example_c_recommend_one "${PROJECT_SOURCE_DIR}/examples/policies/004-shiyan-2023.json")
# 004 二(三)(四), 三(三): a platform worker under 60 -> employee scheme (row 13 says why); group 3.
set_tests_properties(example.c.recommend_one PROPERTIES
  PASS_REGULAR_EXPRESSION "^scheme=employee enroll_employee=yes groups=g3 \nfired recommendation\\.tables\\[0\\]\\.rows\\[13\\] \\[")
# issue 15: a tabled policy from C (canbao_policy_from_json_files), its example and tests.
canbao_c_program(test_c_policy_files "${PROJECT_SOURCE_DIR}/tests/c/test_c_policy_files.c")
add_test(NAME c_abi.policy_files COMMAND test_c_policy_files "${PROJECT_SOURCE_DIR}/examples")
canbao_c_program(example_c_units_table "${PROJECT_SOURCE_DIR}/examples/c/units_table.c")
add_test(NAME example.c.units_table
         COMMAND example_c_units_table "${PROJECT_SOURCE_DIR}/examples/units-table/000-xx-town-2021.json"
                 "${PROJECT_SOURCE_DIR}/examples/units-table/000-units.csv")
# docs/units-table.md: the inline example's fingerprint; the plain entry names the new one.
set_tests_properties(example.c.units_table PROPERTIES
  PASS_REGULAR_EXPRESSION "^without the table: policy_error: units\\.table: no unit table \"000-units\\.csv\" [^\n]*canbao_policy_from_json_files[^\n]*\nwith the table: fingerprint ae224e3e08672f22b17769bdea51b65cab76334aff1c20f1a319c78af7bb3431\n$")
find_program(CANBAO_VALGRIND valgrind)
# Not in a sanitizer build: valgrind cannot run ASan/TSan binaries (shadow memory).
if(CANBAO_VALGRIND AND NOT CANBAO_SANITIZE)
  add_test(NAME example.c.recommend.valgrind
           COMMAND ${CANBAO_VALGRIND} --quiet --error-exitcode=99 --leak-check=full
                   --errors-for-leak-kinds=all $<TARGET_FILE:example_c_recommend>
                   "${PROJECT_SOURCE_DIR}/examples/policies/004-shiyan-2023.json")
  # Every error path of the ABI (exceptions turned into statuses) leaks nothing.
  add_test(NAME c_abi.valgrind
           COMMAND ${CANBAO_VALGRIND} --quiet --error-exitcode=99 --leak-check=full
                   --errors-for-leak-kinds=all $<TARGET_FILE:test_c_abi> "${PROJECT_SOURCE_DIR}/examples/policies")
  # issue 15: nor do canbao_policy_from_json_files's.
  add_test(NAME c_abi.policy_files.valgrind
           COMMAND ${CANBAO_VALGRIND} --quiet --error-exitcode=99 --leak-check=full
                   --errors-for-leak-kinds=all $<TARGET_FILE:test_c_policy_files> "${PROJECT_SOURCE_DIR}/examples")
  # issue 15: canbao_recommend_one's error paths leak nothing either.
  add_test(NAME c_abi.recommend_one.valgrind
           COMMAND ${CANBAO_VALGRIND} --quiet --error-exitcode=99 --leak-check=full
                   --errors-for-leak-kinds=all $<TARGET_FILE:test_c_recommend_one> "${PROJECT_SOURCE_DIR}/examples/policies")
endif()

# Many threads, one policy: 8 threads evaluate and must agree with one thread.
find_package(Threads REQUIRED)
canbao_c_program(test_c_threads "${PROJECT_SOURCE_DIR}/tests/c/test_c_threads.c")
target_link_libraries(test_c_threads PRIVATE Threads::Threads)
add_test(NAME c_abi.threads COMMAND test_c_threads "${PROJECT_SOURCE_DIR}/examples")

# pytest (tests/python/pytest.ini: strict markers, warnings are errors, strict xfail)
# against the build tree's package; it also runs examples/python.
if(CANBAO_BUILD_PYTHON)  # the target is defined later (bindings/python)
  # Tests that need minutes or spawn venvs or clusters carry a pytest marker
  # (declared in tests/python/pytest.ini) and run in their own ctest entry,
  # defined below only when NOT CANBAO_SANITIZE; the `python` entry leaves every
  # marker of this list out (-m "not (install or ...)"). A new one: one line
  # list(APPEND CANBAO_PYTEST_OWN_ENTRY_MARKERS <marker>) here, its entry below.
  set(CANBAO_PYTEST_OWN_ENTRY_MARKERS install)
  list(APPEND CANBAO_PYTEST_OWN_ENTRY_MARKERS cluster)
  list(JOIN CANBAO_PYTEST_OWN_ENTRY_MARKERS " or " _pytest_own)
  add_test(NAME python COMMAND /usr/bin/python3 -m pytest -q -m "not (${_pytest_own})" "${PROJECT_SOURCE_DIR}/tests/python"
           WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}/tests/python")
  set(_python_env "PYTHONPATH=${PROJECT_BINARY_DIR}/python" "CANBAO_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
      "CANBAO_CLI=$<$<TARGET_EXISTS:canbao_cli>:$<TARGET_FILE:canbao_cli>>"
      "CANBAO_LIBRARY=${_canbao_shared_file}")
  # Under ASan the interpreter (not instrumented) must load the ASan runtime
  # first; CPython's own allocations are not ours to check, so no leak check.
  if(CANBAO_SANITIZE MATCHES "address")
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libclang_rt.asan-x86_64.so
                    OUTPUT_VARIABLE _asan_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
    list(APPEND _python_env "LD_PRELOAD=${_asan_runtime}" "ASAN_OPTIONS=detect_leaks=0")
  endif()
  set_tests_properties(python PROPERTIES ENVIRONMENT "${_python_env}")
endif()

# `pip install --no-build-isolation` of a copy of the source into a temporary
# venv, then an example from it (tests/python/test_install.py). It compiles the
# module and library again: with ccache (scripts/setup.sh) the normal build's
# objects are hits, about a minute; cold, many (30 min on a loaded 2-core
# machine). Label "slow" like consumer.add_subdirectory. Not under sanitizers:
# it tests packaging.
if(CANBAO_BUILD_PYTHON AND NOT CANBAO_SANITIZE)
  add_test(NAME python.install
           COMMAND /usr/bin/python3 -m pytest -q -m install "${PROJECT_SOURCE_DIR}/tests/python/test_install.py"
           WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}/tests/python")
  set_tests_properties(python.install PROPERTIES ENVIRONMENT "${_python_env}" TIMEOUT 3600 LABELS slow)
endif()

# canbao.dask on a LocalCluster of 2 worker processes, 2M rows (docs/scale-out.md): 5 min
# measured on a 2-core machine shared with other builds (load 15); label "slow" like the consumers.
if(CANBAO_BUILD_PYTHON AND NOT CANBAO_SANITIZE)
  add_test(NAME python.dask COMMAND /usr/bin/python3 -m pytest -q -m cluster "${PROJECT_SOURCE_DIR}/tests/python/test_dask.py"
           WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}/tests/python")
  set_tests_properties(python.dask PROPERTIES ENVIRONMENT "${_python_env}" TIMEOUT 900 LABELS slow)
endif()

# Consumers (tests/consumer): install into a temporary prefix, then build and
# run a find_package C++/C project and a pkg-config C program against it; and
# an add_subdirectory project over the source tree.
# Not in a sanitizer build: the consumers compile without -fsanitize and so
# cannot link a sanitized libcanbao; they test packaging, not memory.
if(CANBAO_INSTALL AND NOT CANBAO_SANITIZE)
  foreach(_mode find_package pkg_config add_subdirectory)
    add_test(NAME consumer.${_mode}
             COMMAND ${CMAKE_COMMAND} -DMODE=${_mode} "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
                     "-DBUILD_DIR=${PROJECT_BINARY_DIR}" "-DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/consumer-${_mode}"
                     "-DC_COMPILER=${CMAKE_C_COMPILER}" "-DCXX_COMPILER=${CMAKE_CXX_COMPILER}"
                     -P "${PROJECT_SOURCE_DIR}/tests/consumer/run.cmake")
  endforeach()
  # Compiles the whole library once more (at -O0): label "slow" so `ctest -LE slow` skips it.
  set_tests_properties(consumer.add_subdirectory PROPERTIES TIMEOUT 900 LABELS slow)
endif()

# What libcanbao.so exports: the C ABI and namespace canbao, never nlohmann or
# Boost (cmake/canbao.map); with hidden visibility, no canbao::detail either.
if(_canbao_shared_file AND CMAKE_NM AND UNIX AND NOT APPLE)
  add_test(NAME symbols.exported
           COMMAND ${CMAKE_COMMAND} "-DLIBRARY=${_canbao_shared_file}" "-DNM=${CMAKE_NM}"
                   "-DSTRICT=${CANBAO_HIDDEN_VISIBILITY}" -P "${PROJECT_SOURCE_DIR}/tests/consumer/symbols.cmake")
endif()

# The Python benchmark script stays runnable and its four paths keep agreeing
# (tiny size: the real run is by hand, see docs/performance.md#python).
if(CANBAO_BUILD_PYTHON AND _canbao_shared_file)
  add_test(NAME bench.python.smoke
           COMMAND /usr/bin/python3 "${PROJECT_SOURCE_DIR}/benchmarks/bench_python.py" --persons 20000 --repeat 1
                   --library "${_canbao_shared_file}")
  set_tests_properties(bench.python.smoke PROPERTIES ENVIRONMENT "${_python_env}"
                       PASS_REGULAR_EXPRESSION "all paths give identical answers")
endif()
