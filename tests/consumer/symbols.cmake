# What libcanbao.so exports (issue 10 item 6):
#   cmake -DLIBRARY=libcanbao.so -DNM=nm [-DSTRICT=ON] -P symbols.cmake
# Fails on any nlohmann or Boost symbol, and on any symbol outside the C ABI
# (canbao_*) and namespace canbao (cmake/canbao.map). STRICT (on once the C++
# API carries CANBAO_API and CANBAO_HIDDEN_VISIBILITY is ON) also fails on
# canbao::detail, which no consumer may call.
cmake_minimum_required(VERSION 3.25)
foreach(_demangle "" "-C")
  execute_process(COMMAND "${NM}" -D --defined-only ${_demangle} "${LIBRARY}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} ${LIBRARY} failed (${rc}): ${err}")
  endif()
  string(REGEX REPLACE "\n$" "" out "${out}")
  string(REPLACE "\n" ";" lines "${out}")
  set(names)
  foreach(line IN LISTS lines)
    # "0000000000012345 T name with spaces(...)": the name is after the type letter.
    string(REGEX REPLACE "^[0-9a-fA-F]* *[A-Za-z] " "" name "${line}")
    list(APPEND names "${name}")
  endforeach()
  if(_demangle STREQUAL "")
    set(mangled ${names})
  else()
    set(demangled ${names})
  endif()
endforeach()

list(LENGTH mangled total)
set(problems)
set(c_count 0)
foreach(name IN LISTS mangled)
  if(name MATCHES "^canbao_")
    math(EXPR c_count "${c_count} + 1")
  elseif(NOT name MATCHES "^(_ZNK?6canbao|_ZT[ISVT]N6canbao|_ZGVN6canbao)")
    list(APPEND problems "outside the C ABI and namespace canbao: ${name}")
  endif()
endforeach()
foreach(name IN LISTS demangled)
  string(TOLOWER "${name}" lower)
  if(lower MATCHES "nlohmann|boost")
    list(APPEND problems "a dependency's symbol: ${name}")
  elseif(name MATCHES "^canbao::detail::" OR (STRICT AND name MATCHES "^[a-zA-Z ]* for canbao::detail::"))
    list(APPEND problems "an internal symbol: ${name}")
  endif()
endforeach()

math(EXPR cxx_count "${total} - ${c_count}")
message(STATUS "${LIBRARY}: ${total} exported symbols (${c_count} C ABI, ${cxx_count} C++)")
if(problems)
  list(LENGTH problems n)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "${n} exported symbols should not be:\n  ${text}")
endif()
