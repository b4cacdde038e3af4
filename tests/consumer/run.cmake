# One consumer test: cmake -DMODE=find_package|add_subdirectory|pkg_config
#   -DSOURCE_DIR=... -DBUILD_DIR=... -DWORK_DIR=... -DC_COMPILER=... -P run.cmake
# find_package / pkg_config first install BUILD_DIR into WORK_DIR/prefix.
cmake_minimum_required(VERSION 3.25)
set(policy "${SOURCE_DIR}/examples/policies/000-xx-town-2021.json")
set(expect "\"id\":\"consolidation\"")  # 000 四(二): 巩固 runs 2021-09-01..11-30
# Install modes start from an empty prefix; the add_subdirectory build is kept so
# a second test run only rebuilds what changed (scripts/test.sh stays fast).
if(NOT MODE STREQUAL "add_subdirectory")
  file(REMOVE_RECURSE "${WORK_DIR}")
endif()
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

function(expect_phases program)
  run(${program} "${policy}" 2021-10-01)
  if(NOT out MATCHES "${expect}")
    message(FATAL_ERROR "${program} printed:\n${out}")
  endif()
  message(STATUS "${program}: ok")
endfunction()

set(prefix "${WORK_DIR}/prefix")
if(MODE STREQUAL "find_package" OR MODE STREQUAL "pkg_config")
  run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
endif()

if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/consumer/find-package" -B "${WORK_DIR}/build"
      -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=${prefix}")
  run(${CMAKE_COMMAND} --build "${WORK_DIR}/build" -j2)
  expect_phases("${WORK_DIR}/build/consumer_cpp")
  expect_phases("${WORK_DIR}/build/consumer_c")
elseif(MODE STREQUAL "add_subdirectory")
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/consumer/add-subdirectory" -B "${WORK_DIR}/build"
      -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0 "-DCANBAO_SOURCE_DIR=${SOURCE_DIR}")  # -O0: it only proves the wiring
  run(${CMAKE_COMMAND} --build "${WORK_DIR}/build" -j2 --target consumer_cpp)
  expect_phases("${WORK_DIR}/build/consumer_cpp")
elseif(MODE STREQUAL "pkg_config")
  file(GLOB_RECURSE pc_files "${prefix}/*/canbao.pc")
  list(GET pc_files 0 pc_file)
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
  run(pkg-config --cflags --libs canbao)
  separate_arguments(flags UNIX_COMMAND "${out}")
  run(${C_COMPILER} -std=c99 -Wall -Wextra -pedantic -Werror "${SOURCE_DIR}/tests/consumer/consumer.c"
      ${flags} -o "${WORK_DIR}/consumer_c")
  get_filename_component(libdir "${pc_dir}" DIRECTORY)
  set(ENV{LD_LIBRARY_PATH} "${libdir}")
  expect_phases("${WORK_DIR}/consumer_c")
else()
  message(FATAL_ERROR "MODE must be find_package, add_subdirectory or pkg_config")
endif()
