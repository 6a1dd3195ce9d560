# famigo_module(NAME SOURCES a.cpp ... [PUBLIC_DEPS t ...] [PRIVATE_DEPS t ...])
# One static library per module, named famigo_<NAME>. Headers are included as
# "<module>/<file>.hpp" from src/. Drivers (libsodium, brotli, ...) go in
# PRIVATE_DEPS so they never leak into the public face of a module.
set(FAMIGO_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)

function(famigo_module NAME)
  cmake_parse_arguments(M "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(famigo_${NAME} STATIC ${M_SOURCES})
  target_include_directories(famigo_${NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(famigo_${NAME} PRIVATE ${FAMIGO_WARNINGS})
  target_link_libraries(famigo_${NAME} PUBLIC ${M_PUBLIC_DEPS} PRIVATE ${M_PRIVATE_DEPS})
endfunction()
