# tenantq_add_check(TARGET <target> [NAME <name>] [FORMAT text|json|sarif|gitlab]
#                   [OUTPUT <file>] [BASELINE <file>] [WERROR] [ARGS <arg>...])
#
# The lint gate for one target, twice over:
#   - a ctest test <name> (default <target>_tenantq_check), so `ctest` fails on a finding;
#   - a build target <name> that runs the same command after generating the target's
#     tenantq files only (<target>_tenantq_generate), not after compiling it, so CI can
#     run the gate first: `cmake --build build --target app_tenantq_check`.
# and, for an executable or shared library, the link-time check as the ctest test
# <target>_tenantq_link_check (TenantqLinkCheck.cmake), which reads the linked objects.
# Both run
#   tenantq-check -p <top build dir> --only-named
#                 [--manifest <each manifest of target>]...
#                 [--format F] [-o FILE] [--baseline FILE] [--werror] [ARGS...]
#                 <the target's .c sources>
# (--only-named: the target's sources are the whole gate; the database entries of other
# targets, which get their own tenantq_add_check, are not noted as unchecked).
# in the target's source directory; the manifests are those tenantq_generate() recorded
# for the target (TENANTQ_MANIFESTS). The compilation database must exist, so the
# function turns on EXPORT_COMPILE_COMMANDS for the target and refuses generators that
# cannot write one (Ninja and the Makefile generators can).
#
# The checker is the tenantq-check target inside the tenantq build, else
# TENANTQ_CHECK_EXECUTABLE (set by tenantqConfig.cmake), else tenantq-check on PATH; when
# none exists the configure fails, because a gate that silently disappears passes
# everything.

include(${CMAKE_CURRENT_LIST_DIR}/TenantqLinkCheck.cmake)

function(tenantq_add_check)
  cmake_parse_arguments(TQC "WERROR" "TARGET;NAME;FORMAT;OUTPUT;BASELINE" "ARGS" ${ARGN})
  if(NOT TQC_TARGET)
    message(FATAL_ERROR "tenantq_add_check: TARGET is required")
  endif()
  if(TQC_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tenantq_add_check: unexpected arguments: ${TQC_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${TQC_TARGET})
    message(FATAL_ERROR "tenantq_add_check: ${TQC_TARGET} is not a target")
  endif()
  if(NOT CMAKE_GENERATOR MATCHES "Ninja|Makefiles")
    message(FATAL_ERROR "tenantq_add_check: tenantq-check reads compile_commands.json, which "
                        "the ${CMAKE_GENERATOR} generator does not write; use Ninja or Makefiles")
  endif()
  if(NOT TQC_NAME)
    set(TQC_NAME ${TQC_TARGET}_tenantq_check)
  endif()

  if(TARGET tenantq-check)
    set(checker $<TARGET_FILE:tenantq-check>)
  else()
    if(NOT TENANTQ_CHECK_EXECUTABLE OR NOT EXISTS "${TENANTQ_CHECK_EXECUTABLE}")
      unset(TENANTQ_CHECK_EXECUTABLE CACHE)
      find_program(TENANTQ_CHECK_EXECUTABLE tenantq-check)
    endif()
    if(NOT TENANTQ_CHECK_EXECUTABLE)
      message(FATAL_ERROR "tenantq_add_check: tenantq-check not found; install it (it needs "
                          "libclang 14) or set TENANTQ_CHECK_EXECUTABLE")
    endif()
    set(checker ${TENANTQ_CHECK_EXECUTABLE})
  endif()
  set_target_properties(${TQC_TARGET} PROPERTIES EXPORT_COMPILE_COMMANDS ON)

  set(manifests "$<TARGET_PROPERTY:${TQC_TARGET},TENANTQ_MANIFESTS>")
  set(command ${checker} -p ${CMAKE_BINARY_DIR} --only-named
      "$<$<BOOL:${manifests}>:--manifest$<SEMICOLON>$<JOIN:${manifests},$<SEMICOLON>--manifest$<SEMICOLON>>>")
  if(TQC_FORMAT)
    list(APPEND command --format ${TQC_FORMAT})
  endif()
  if(TQC_OUTPUT)
    get_filename_component(output "${TQC_OUTPUT}" ABSOLUTE BASE_DIR ${CMAKE_CURRENT_BINARY_DIR})
    list(APPEND command -o ${output})
  endif()
  if(TQC_BASELINE)
    get_filename_component(baseline "${TQC_BASELINE}" ABSOLUTE
                           BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND command --baseline ${baseline})
  endif()
  if(TQC_WERROR)
    list(APPEND command --werror)
  endif()
  list(APPEND command ${TQC_ARGS}
       "$<FILTER:$<TARGET_PROPERTY:${TQC_TARGET},SOURCES>,INCLUDE,\\.c$>")
  get_target_property(source_dir ${TQC_TARGET} SOURCE_DIR)

  add_test(NAME ${TQC_NAME} COMMAND ${command}
           WORKING_DIRECTORY ${source_dir} COMMAND_EXPAND_LISTS)
  _tenantq_generate_target(${TQC_TARGET} generate_only)
  add_custom_target(${TQC_NAME} COMMAND ${command}
                    WORKING_DIRECTORY ${source_dir}
                    COMMENT "tenantq-check ${TQC_TARGET}"
                    COMMAND_EXPAND_LISTS VERBATIM)
  add_dependencies(${TQC_NAME} ${generate_only})
  _tenantq_add_link_check(${TQC_TARGET})
  if(TARGET tenantq-check)
    add_dependencies(${TQC_NAME} tenantq-check)
  endif()
endfunction()
