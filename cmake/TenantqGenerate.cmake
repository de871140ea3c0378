# tenantq_generate(TARGET <target> SCHEMA <file.tqs> [OUTDIR <dir>] [PROBE])
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
#
# PROBE also generates <name>.tq.probe.c (tenantq-gen --probe) and adds the executable
# <target>_probe: that file and its own copy of <name>.tq.c, linked with the probe
# driver (tenantq::probe, libtenantq-probe) and libtenantq. It loads synthetic tenants
# into every collection of the schema through the generated functions and fires the
# adversarial probe kinds at them (docs/probe.md, "Probing your own schema").

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
  # _PROBE_ONLY (tenantq_add_probe): TARGET is the probe executable itself.
  cmake_parse_arguments(TQG "PROBE;_PROBE_ONLY" "TARGET;SCHEMA;OUTDIR" "" ${ARGN})
  if(TQG__PROBE_ONLY)
    set(TQG_PROBE ON)
  endif()
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
  set(probe_flag "")
  if(TQG_PROBE)
    list(APPEND outputs ${outdir}/${name}.tq.probe.c)
    set(probe_flag --probe)
  endif()
  set_property(TARGET ${TQG_TARGET} APPEND PROPERTY TENANTQ_MANIFESTS ${outdir}/${name}.tq.json)
  # The link check (TenantqLinkCheck.cmake) lets these objects alone call the raw layer.
  set_property(TARGET ${TQG_TARGET} APPEND PROPERTY TENANTQ_GENERATED_SOURCES ${outdir}/${name}.tq.c)
  _tenantq_generate_target(${TQG_TARGET} generate_only)
  target_sources(${generate_only} PRIVATE ${outputs})
  # One rule per output set and directory: a second target reuses the first's rule.
  get_property(rules DIRECTORY PROPERTY TENANTQ_GENERATE_RULES)
  if("${outdir}/${name}.tq.c" IN_LIST rules)
    get_property(probe_rules DIRECTORY PROPERTY TENANTQ_GENERATE_PROBE_RULES)
    if(TQG_PROBE AND NOT "${outdir}/${name}.tq.c" IN_LIST probe_rules)
      message(FATAL_ERROR "tenantq_generate: ${outdir} is already generated without PROBE by "
                          "an earlier call; give PROBE on the first call, or another OUTDIR")
    endif()
    target_sources(${TQG_TARGET} PRIVATE ${outdir}/${name}.tq.c ${outdir}/${name}.tq.h)
    target_include_directories(${TQG_TARGET} PRIVATE ${outdir})
    if(TQG_PROBE)
      set(_TENANTQ_PROBE_ONLY ${TQG__PROBE_ONLY})
      _tenantq_add_probe(${TQG_TARGET} ${name} ${outdir})
    endif()
    return()
  endif()
  set_property(DIRECTORY APPEND PROPERTY TENANTQ_GENERATE_RULES "${outdir}/${name}.tq.c")
  if(TQG_PROBE)
    set_property(DIRECTORY APPEND PROPERTY TENANTQ_GENERATE_PROBE_RULES "${outdir}/${name}.tq.c")
  endif()
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
    COMMAND ${generator} ${probe_flag} -o ${outdir} ${schema_arg}
    # tenantq-gen leaves unchanged files alone; touch them so the rule is satisfied.
    COMMAND ${CMAKE_COMMAND} -E touch_nocreate ${outputs}
    DEPENDS ${schema_abs} ${generator_dep}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "tenantq-gen ${schema_arg}"
    VERBATIM)
  target_sources(${TQG_TARGET} PRIVATE ${outdir}/${name}.tq.c ${outdir}/${name}.tq.h)
  target_include_directories(${TQG_TARGET} PRIVATE ${outdir})
  if(TQG_PROBE)
    set(_TENANTQ_PROBE_ONLY ${TQG__PROBE_ONLY})
    _tenantq_add_probe(${TQG_TARGET} ${name} ${outdir})
  endif()
endfunction()

# tenantq_add_probe(TARGET <target> SCHEMA <file.tqs> [OUTDIR <dir>])
#
# The same executable <target>_probe as tenantq_generate(... PROBE), for a target whose
# tenantq_generate() call stays as it is: the schema is generated again, with --probe,
# into OUTDIR (default: ${CMAKE_CURRENT_BINARY_DIR}/tenantq/<target>_probe).
function(tenantq_add_probe)
  cmake_parse_arguments(TQP "" "TARGET;SCHEMA;OUTDIR" "" ${ARGN})
  if(NOT TQP_TARGET OR NOT TQP_SCHEMA)
    message(FATAL_ERROR "tenantq_add_probe: TARGET and SCHEMA are required")
  endif()
  if(TQP_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tenantq_add_probe: unexpected arguments: ${TQP_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TQP_OUTDIR)
    set(TQP_OUTDIR ${CMAKE_CURRENT_BINARY_DIR}/tenantq/${TQP_TARGET}_probe)
  endif()
  add_executable(${TQP_TARGET}_probe)
  tenantq_generate(TARGET ${TQP_TARGET}_probe SCHEMA ${TQP_SCHEMA} OUTDIR ${TQP_OUTDIR}
                   _PROBE_ONLY)
endfunction()

# <target>_probe: the schema's probe tables and its client, linked with the driver.
function(_tenantq_add_probe target name outdir)
  if(NOT TARGET tenantq::probe)
    message(FATAL_ERROR "tenantq_generate: PROBE needs the probe driver (tenantq::probe, "
                        "libtenantq-probe), which this tenantq was built without")
  endif()
  if(_TENANTQ_PROBE_ONLY)
    set(probe ${target})
    target_sources(${probe} PRIVATE ${outdir}/${name}.tq.probe.c)
  else()
    set(probe ${target}_probe)
    add_executable(${probe} ${outdir}/${name}.tq.probe.c ${outdir}/${name}.tq.c)
    target_include_directories(${probe} PRIVATE ${outdir})
    _tenantq_generate_target(${target} generate_only)
    add_dependencies(${probe} ${generate_only})
  endif()
  target_link_libraries(${probe} PRIVATE tenantq::probe)
endfunction()
