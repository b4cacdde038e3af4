# Installing canbao: headers, the library both shared and static, a CMake
# package (find_package(canbao CONFIG) -> canbao::canbao) and canbao.pc.
#
# Shared AND static: `canbao` is built as configured (static unless
# BUILD_SHARED_LIBS), and a twin of the other kind is linked from the very same
# object files (no second compilation): canbao_shared or canbao_static. Both
# are installed as libcanbao.so.* and libcanbao.a and exported as
# canbao::canbao (as configured) plus canbao::canbao_shared / canbao::canbao_static.
#
# What a consumer needs: the headers and the library, nothing else. nlohmann
# is header-only and linked as BUILD_INTERFACE only; Boost is not used by the
# library (only by the opt-in header date_boost.hpp). So the exported targets,
# canbaoConfig.cmake and the .pc files name neither (tests/consumer checks);
# the static library needs only the C++ runtime.
include(CMakePackageConfigHelpers)

get_target_property(_canbao_type canbao TYPE)
if(_canbao_type STREQUAL "STATIC_LIBRARY")
  set(CANBAO_TWIN canbao_shared)
  add_library(canbao_shared SHARED $<TARGET_OBJECTS:canbao>)
  set_target_properties(canbao_shared PROPERTIES
    OUTPUT_NAME canbao VERSION ${PROJECT_VERSION} SOVERSION ${CANBAO_SOVERSION})
  canbao_export_map(canbao_shared)
  set(CANBAO_DEFAULT_KIND static)
else()
  set(CANBAO_TWIN canbao_static)
  add_library(canbao_static STATIC $<TARGET_OBJECTS:canbao>)
  set_target_properties(canbao_static PROPERTIES OUTPUT_NAME canbao)
  target_compile_definitions(canbao_static INTERFACE CANBAO_STATIC)
  set(CANBAO_DEFAULT_KIND shared)
endif()
add_library(canbao::${CANBAO_TWIN} ALIAS ${CANBAO_TWIN})
target_include_directories(${CANBAO_TWIN} PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(${CANBAO_TWIN} PUBLIC cxx_std_17)
target_link_libraries(${CANBAO_TWIN} PRIVATE $<BUILD_INTERFACE:nlohmann_json::nlohmann_json>)
set_target_properties(${CANBAO_TWIN} PROPERTIES EXPORT_NAME ${CANBAO_TWIN})

set(CANBAO_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/canbao")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/canbao" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")
install(FILES "${PROJECT_SOURCE_DIR}/include/canbao.h" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")

install(TARGETS canbao ${CANBAO_TWIN} EXPORT canbaoTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT canbaoTargets NAMESPACE canbao:: DESTINATION "${CANBAO_CMAKE_DIR}")

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/canbaoConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/canbaoConfig.cmake" INSTALL_DESTINATION "${CANBAO_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/canbaoConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/canbaoConfig.cmake" "${PROJECT_BINARY_DIR}/canbaoConfigVersion.cmake"
        DESTINATION "${CANBAO_CMAKE_DIR}")

# pkg-config. A .pc file cannot drop its Libs under --static, so `-lcanbao`
# always reaches the linker, which picks libcanbao.so unless the whole link is
# static. Hence two files:
#   canbao.pc         -lcanbao (the shared library); with --static it adds
#                     what libcanbao.a needs, for a fully static link (-static);
#   canbao-static.pc  libcanbao.a by path, the rest (libc, libstdc++) dynamic.
# The prefix is found relative to the .pc file, so `cmake --install --prefix X` works.
file(RELATIVE_PATH CANBAO_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" CANBAO_PC_TO_PREFIX "${CANBAO_PC_TO_PREFIX}")
foreach(_pc canbao canbao-static)
  configure_file("${CMAKE_CURRENT_LIST_DIR}/${_pc}.pc.in" "${PROJECT_BINARY_DIR}/${_pc}.pc" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/${_pc}.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endforeach()

if(CANBAO_BUILD_CLI AND TARGET canbao_cli)
  install(TARGETS canbao_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
endif()
