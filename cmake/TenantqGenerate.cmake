# tenantq_generate(TARGET <target> SCHEMA <file.tqs> [OUTDIR <dir>])
#
# Runs tenantq-gen on SCHEMA at build time, adds the generated <name>.tq.c to TARGET
# and OUTDIR (default: ${CMAKE_CURRENT_BINARY_DIR}/tenantq/<target>) to its include
# directories, so sources can #include "<name>.tq.h". Targets of one directory that
# name the same OUTDIR and schema share one generation rule. The files are regenerated when
# the schema or the generator changes. <name> is the name the schema declares
# (`schema NAME version N;`), read here at configure time; editing it reconfigures.
#
# Inside the tenantq build the generator is the tenantq-gen target; from an installed
# package it is TENANTQ_GEN_EXECUTABLE (set by tenantqConfig.cmake), else tenantq-gen
# found on PATH. The generator runs in the directory of the calling CMakeLists.txt
# with the schema path relative to it, so the path recorded in the generated files is
# the same in every build tree.
#
# The manifest's path is appended to the target property TENANTQ_MANIFESTS, so a lint
# step can pass it on: `--manifest $<TARGET_PROPERTY:app,TENANTQ_MANIFESTS>`.
#
# Each TARGET also gets a generate-only target, <target>_tenantq_generate, that writes
# the generated files without compiling anything: `cmake --build build --target
# app_tenantq_generate` is enough for tenantq-check to parse the sources that include
# the generated header, so the lint gate can run before (and fail faster than) the
# build. tenantq_add_check() (TenantqCheck.cmake) depends on it.

# Returns in OUT the generate-only target of TARGET, creating it empty if needed (a
# later tenantq_generate() call adds its outputs to it).
function(_tenantq_generate_target target out)
  set(name ${target}_tenantq_generate)
  if(NOT TARGET ${name})
    add_custom_target(${name})
    set_target_properties(${name} PROPERTIES FOLDER tenantq)
  endif()
  set(${out} ${name} PARENT_SCOPE)
endfunction()

function(tenantq_generate)
  cmake_parse_arguments(TQG "" "TARGET;SCHEMA;OUTDIR" "" ${ARGN})
  if(NOT TQG_TARGET OR NOT TQG_SCHEMA)
    message(FATAL_ERROR "tenantq_generate: TARGET and SCHEMA are required")
  endif()
  if(TQG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tenantq_generate: unexpected arguments: ${TQG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TQG_OUTDIR)
    set(TQG_OUTDIR ${CMAKE_CURRENT_BINARY_DIR}/tenantq/${TQG_TARGET})
  endif()
  get_filename_component(outdir "${TQG_OUTDIR}" ABSOLUTE BASE_DIR ${CMAKE_CURRENT_BINARY_DIR})
  get_filename_component(schema_abs "${TQG_SCHEMA}" ABSOLUTE
                         BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  if(NOT EXISTS "${schema_abs}")
    message(FATAL_ERROR "tenantq_generate: schema ${schema_abs} does not exist")
  endif()
  file(RELATIVE_PATH schema_arg ${CMAKE_CURRENT_SOURCE_DIR} ${schema_abs})

  file(STRINGS "${schema_abs}" header REGEX "^[ \t]*schema[ \t]+[a-z][a-z0-9_]*" LIMIT_COUNT 1)
  if(NOT header MATCHES "^[ \t]*schema[ \t]+([a-z][a-z0-9_]*)")
    message(FATAL_ERROR "tenantq_generate: ${schema_abs} has no 'schema NAME version N;' line")
  endif()
  set(name ${CMAKE_MATCH_1})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${schema_abs}")

  if(TARGET tenantq-gen)
    set(generator $<TARGET_FILE:tenantq-gen>)
    set(generator_dep tenantq-gen)
  else()
    if(NOT TENANTQ_GEN_EXECUTABLE)
      find_program(TENANTQ_GEN_EXECUTABLE tenantq-gen)
    endif()
    if(NOT TENANTQ_GEN_EXECUTABLE)
      message(FATAL_ERROR "tenantq_generate: tenantq-gen not found; set TENANTQ_GEN_EXECUTABLE")
    endif()
    set(generator ${TENANTQ_GEN_EXECUTABLE})
    set(generator_dep ${TENANTQ_GEN_EXECUTABLE})
  endif()

  set(outputs ${outdir}/${name}.tq.c ${outdir}/${name}.tq.h ${outdir}/${name}.tq.json)
  set_property(TARGET ${TQG_TARGET} APPEND PROPERTY TENANTQ_MANIFESTS ${outdir}/${name}.tq.json)
  # The link check (TenantqLinkCheck.cmake) lets these objects alone call the raw layer.
  set_property(TARGET ${TQG_TARGET} APPEND PROPERTY TENANTQ_GENERATED_SOURCES ${outdir}/${name}.tq.c)
  _tenantq_generate_target(${TQG_TARGET} generate_only)
  target_sources(${generate_only} PRIVATE ${outputs})
  # One rule per output set and directory: a second target reuses the first's rule.
  get_property(rules DIRECTORY PROPERTY TENANTQ_GENERATE_RULES)
  if("${outdir}/${name}.tq.c" IN_LIST rules)
    target_sources(${TQG_TARGET} PRIVATE ${outdir}/${name}.tq.c ${outdir}/${name}.tq.h)
    target_include_directories(${TQG_TARGET} PRIVATE ${outdir})
    return()
  endif()
  set_property(DIRECTORY APPEND PROPERTY TENANTQ_GENERATE_RULES "${outdir}/${name}.tq.c")
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
    COMMAND ${generator} -o ${outdir} ${schema_arg}
    # tenantq-gen leaves unchanged files alone; touch them so the rule is satisfied.
    COMMAND ${CMAKE_COMMAND} -E touch_nocreate ${outputs}
    DEPENDS ${schema_abs} ${generator_dep}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "tenantq-gen ${schema_arg}"
    VERBATIM)
  target_sources(${TQG_TARGET} PRIVATE ${outdir}/${name}.tq.c ${outdir}/${name}.tq.h)
  target_include_directories(${TQG_TARGET} PRIVATE ${outdir})
endfunction()
