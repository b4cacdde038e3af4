# C ABI, threads, examples, Python and consumer tests (issue 4). Included by
# tests/CMakeLists.txt; paths relative to the project root.
set(_canbao_c_flags -Wall -Wextra -pedantic -Werror)

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
