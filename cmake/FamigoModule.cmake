# famigo_module(NAME SOURCES a.cpp ... [PUBLIC_DEPS t ...] [PRIVATE_DEPS t ...])
# One static library per module, named famigo_<NAME>. Headers are included as
# "<module>/<file>.hpp" from src/. Drivers (libsodium, brotli, ...) go in
# PRIVATE_DEPS so they never leak into the public face of a module.
set(FAMIGO_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
# Warnings as errors (scripts/test, CI). g++ 12 reports two kinds of warning
# falsely: -Wrestrict on std::string concatenation inlined at -O3 (GCC bug
# 105329), and -Wmissing-field-initializers on designated initializers that
# leave members at their defaults ({.required = true}, the point of them).
# Those two stay warnings there. (Only in this mode for now: changing every
# build's flags would empty the shared compiler cache for everyone at once.)
if(FAMIGO_WERROR)
  list(APPEND FAMIGO_WARNINGS -Werror)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    list(APPEND FAMIGO_WARNINGS -Wno-error=restrict -Wno-error=missing-field-initializers)
  endif()
endif()

function(famigo_module NAME)
  cmake_parse_arguments(M "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(famigo_${NAME} STATIC ${M_SOURCES})
  target_include_directories(famigo_${NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(famigo_${NAME} PRIVATE ${FAMIGO_WARNINGS})
  target_link_libraries(famigo_${NAME} PUBLIC ${M_PUBLIC_DEPS} PRIVATE ${M_PRIVATE_DEPS})
endfunction()
