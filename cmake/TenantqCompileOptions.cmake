# Warning, hardening and sanitizer flags shared by every tenantq target.
# tenantq_target_defaults(<target>) applies them; nothing here touches global flags,
# so generated code in user projects is compiled with the user's own settings.

set(TENANTQ_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wformat=2 -Wno-unused-parameter)
if(TENANTQ_WERROR)
  list(APPEND TENANTQ_WARNINGS -Werror)
endif()

if(TENANTQ_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(TENANTQ_TSAN)
  if(TENANTQ_SANITIZE)
    message(FATAL_ERROR "TENANTQ_TSAN and TENANTQ_SANITIZE cannot be combined")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

function(tenantq_target_defaults target)
  target_compile_options(${target} PRIVATE ${TENANTQ_WARNINGS})
  target_compile_definitions(${target} PRIVATE _POSIX_C_SOURCE=200809L)
endfunction()
