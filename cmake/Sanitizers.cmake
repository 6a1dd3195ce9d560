# FAMIGO_SANITIZE=address,undefined builds everything with those sanitizers.
# Used by the "asan" preset; tests then run with halt_on_error so a report fails them.
set(FAMIGO_SANITIZE "" CACHE STRING "Comma-separated sanitizers (address,undefined)")
if(FAMIGO_SANITIZE)
  add_compile_options(-fsanitize=${FAMIGO_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${FAMIGO_SANITIZE})
endif()
