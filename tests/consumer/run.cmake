# One consumer test: cmake -DMODE=find_package|add_subdirectory|pkg_config
#   -DSOURCE_DIR=... -DBUILD_DIR=... -DWORK_DIR=... -DC_COMPILER=... -DCXX_COMPILER=... -P run.cmake
# find_package / pkg_config first install BUILD_DIR into WORK_DIR/prefix and
# build as on a machine without the Boost and nlohmann development packages:
# the installed package files must not name them, no installed header but the
# opt-in date_boost.hpp may include them, find_package(Boost/nlohmann_json) is
# disabled, and where user namespaces work (unshare -rm) their headers and
# CMake packages are hidden for the consumer's real build.
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

# expect_needed(program yes|no): whether `program` loads libcanbao.so; it
# never loads a Boost library.
function(expect_needed program wanted)
  run(readelf -d "${program}")
  set(found no)
  if(out MATCHES "NEEDED[^\n]*libcanbao\\.so")
    set(found yes)
  endif()
  if(NOT found STREQUAL wanted OR out MATCHES "NEEDED[^\n]*boost")
    message(FATAL_ERROR "${program}: libcanbao.so NEEDED should be ${wanted}:\n${out}")
  endif()
  message(STATUS "${program}: libcanbao.so NEEDED ${wanted}")
endfunction()

# The dependencies a consumer must not need.
set(hidden_dirs /usr/include/boost /usr/include/nlohmann)
file(GLOB _cmake_packages /usr/lib/*/cmake/Boost-* /usr/lib/*/cmake/boost_* /usr/lib/cmake/Boost-*
     /usr/share/cmake/nlohmann_json /usr/lib/*/cmake/nlohmann_json /usr/lib/cmake/nlohmann_json)
list(APPEND hidden_dirs ${_cmake_packages})

# without_deps(command...): runs the command with hidden_dirs covered by an
# empty directory (user + mount namespace) or, where that is not allowed, as is.
function(without_deps)
  execute_process(COMMAND unshare -rm true RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc EQUAL 0)
    message(STATUS "unshare -rm unavailable: building with the dependencies present (interface checks only)")
    run(${ARGN})
    set(out "${out}" PARENT_SCOPE)
    return()
  endif()
  file(MAKE_DIRECTORY "${WORK_DIR}/empty")
  set(script "")
  foreach(dir IN LISTS hidden_dirs)
    if(IS_DIRECTORY "${dir}")
      string(APPEND script "mount --bind '${WORK_DIR}/empty' '${dir}' && ")
    endif()
  endforeach()
  string(APPEND script "test ! -e /usr/include/boost/version.hpp && test ! -e /usr/include/nlohmann/json.hpp && exec \"$@\"")
  run(unshare -rm sh -c "${script}" sh ${ARGN})
  message(STATUS "built with the Boost and nlohmann headers and CMake packages hidden")
  set(out "${out}" PARENT_SCOPE)
endfunction()

# The installed package names neither dependency, and no installed header but
# date_boost.hpp includes one (each compiled alone with -M, its dependency list checked).
function(check_installed_interface prefix)
  file(GLOB_RECURSE files "${prefix}/*/canbaoConfig*.cmake" "${prefix}/*/canbaoTargets*.cmake"
       "${prefix}/*/canbao*.pc")
  list(LENGTH files n)
  if(n LESS 5)
    message(FATAL_ERROR "expected canbaoConfig, ConfigVersion, Targets, canbao.pc, canbao-static.pc; found ${files}")
  endif()
  foreach(file IN LISTS files)
    file(READ "${file}" text)
    string(TOLOWER "${text}" text)
    if(text MATCHES "boost|nlohmann")
      message(FATAL_ERROR "${file} names a dependency a consumer does not need:\n${text}")
    endif()
  endforeach()
  file(GLOB headers "${prefix}/include/canbao/*.hpp")
  list(LENGTH headers n)
  if(n LESS 10)
    message(FATAL_ERROR "installed headers missing: ${headers}")
  endif()
  foreach(header IN LISTS headers "${prefix}/include/canbao.h")
    if(header MATCHES "date_boost\\.hpp$")
      continue()
    elseif(header MATCHES "\\.h$")
      run(${C_COMPILER} -std=c99 -M -x c "-I${prefix}/include" "${header}")
    else()
      run(${CXX_COMPILER} -std=c++17 -M -x c++ "-I${prefix}/include" "${header}")
    endif()
    if(out MATCHES "/boost/|/nlohmann/")
      message(FATAL_ERROR "${header} includes a dependency:\n${out}")
    endif()
  endforeach()
  message(STATUS "installed interface: no Boost or nlohmann outside date_boost.hpp")
endfunction()

set(prefix "${WORK_DIR}/prefix")
if(MODE STREQUAL "find_package" OR MODE STREQUAL "pkg_config")
  run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
  check_installed_interface("${prefix}")
endif()

if(MODE STREQUAL "find_package")
  without_deps(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/consumer/find-package" -B "${WORK_DIR}/build"
               -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=${prefix}"
               -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON)
  without_deps(${CMAKE_COMMAND} --build "${WORK_DIR}/build" -j2)
  expect_phases("${WORK_DIR}/build/consumer_cpp")
  expect_needed("${WORK_DIR}/build/consumer_cpp" no)
  expect_phases("${WORK_DIR}/build/consumer_c")
  expect_needed("${WORK_DIR}/build/consumer_c" yes)
  expect_phases("${WORK_DIR}/build/consumer_cpp_shared")
  expect_needed("${WORK_DIR}/build/consumer_cpp_shared" yes)
elseif(MODE STREQUAL "add_subdirectory")
  # No build type given: canbao must not choose one for its parent (nor -Werror);
  # the project checks that (add-subdirectory/CMakeLists.txt). It builds at -O0.
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/consumer/add-subdirectory" -B "${WORK_DIR}/build-parent"
      "-DCANBAO_SOURCE_DIR=${SOURCE_DIR}")
  run(${CMAKE_COMMAND} --build "${WORK_DIR}/build-parent" -j2 --target consumer_cpp)
  expect_phases("${WORK_DIR}/build-parent/consumer_cpp")
elseif(MODE STREQUAL "pkg_config")
  file(GLOB_RECURSE pc_files "${prefix}/*/canbao.pc")
  list(GET pc_files 0 pc_file)
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
  get_filename_component(libdir "${pc_dir}" DIRECTORY)
  set(cflags -std=c99 -Wall -Wextra -pedantic -Werror)
  set(source "${SOURCE_DIR}/tests/consumer/consumer.c")

  # canbao.pc: the shared library.
  run(pkg-config --cflags --libs canbao)
  separate_arguments(flags UNIX_COMMAND "${out}")
  without_deps(${C_COMPILER} ${cflags} "${source}" ${flags} -o "${WORK_DIR}/consumer_c")
  expect_needed("${WORK_DIR}/consumer_c" yes)
  set(ENV{LD_LIBRARY_PATH} "${libdir}")
  expect_phases("${WORK_DIR}/consumer_c")
  unset(ENV{LD_LIBRARY_PATH})

  # canbao-static.pc: libcanbao.a, the C and C++ runtimes shared.
  run(pkg-config --cflags --libs canbao-static)
  if(NOT out MATCHES "-DCANBAO_STATIC" OR NOT out MATCHES "libcanbao\\.a")
    message(FATAL_ERROR "canbao-static.pc: ${out}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${out}")
  without_deps(${C_COMPILER} ${cflags} "${source}" ${flags} -o "${WORK_DIR}/consumer_c_static")
  expect_needed("${WORK_DIR}/consumer_c_static" no)
  expect_phases("${WORK_DIR}/consumer_c_static")

  # pkg-config --static canbao with -static: a wholly static program.
  run(pkg-config --static --cflags --libs canbao)
  if(NOT out MATCHES "-DCANBAO_STATIC" OR NOT out MATCHES "-lstdc\\+\\+")
    message(FATAL_ERROR "pkg-config --static canbao: ${out}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${out}")
  execute_process(COMMAND ${C_COMPILER} -print-file-name=libc.a OUTPUT_VARIABLE libc_a
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(IS_ABSOLUTE "${libc_a}")
    without_deps(${C_COMPILER} ${cflags} -static "${source}" ${flags} -o "${WORK_DIR}/consumer_c_all_static")
    run(readelf -d "${WORK_DIR}/consumer_c_all_static")
    if(out MATCHES "NEEDED")
      message(FATAL_ERROR "-static $(pkg-config --static canbao) still loads libraries:\n${out}")
    endif()
    expect_phases("${WORK_DIR}/consumer_c_all_static")
  else()
    message(STATUS "no libc.a: skipping the wholly static program")
  endif()
else()
  message(FATAL_ERROR "MODE must be find_package, add_subdirectory or pkg_config")
endif()
