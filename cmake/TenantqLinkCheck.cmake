# The link-time half of the lint gate, added by tenantq_add_check() for executables and
# shared libraries: the ctest test <target>_tenantq_link_check runs
# tenantq-link-check.sh (beside this file) on the linked target. It reads, with nm,
# every object of the target that is not generated code (and every object or archive
# listed as a source), every library linked by path other than libtenantq, and the link
# options (the target's LINK_OPTIONS, LINK_FLAGS and link-library entries that are
# options, and CMAKE_<KIND>_LINKER_FLAGS[_<CONFIG>]). With CMake 3.21 or later it also
# reads the link command itself, recorded at link time by tenantq-link-record.sh (the
# target's C and CXX linker launcher, after any launcher already set): options and
# libraries inherited from dependencies, and bare library names (-lfoo) found in the
# link's -L directories. It fails on a raw-layer reference (tq_raw_*), a definition of a
# libtenantq symbol (tq_*) or an option that re-routes symbols (--defsym, --wrap, a
# linker script, multiple definitions): what a link can do to the tenant boundary
# without any source saying so. docs/checker.md, "Limits".
# The target must be built first (the test reads its objects); generated sources must
# lie under the target's source or binary directory (tenantq_generate's default does).

set(_TENANTQ_LINK_CHECK_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/tenantq-link-check.sh)
set(_TENANTQ_LINK_RECORD_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/tenantq-link-record.sh)

function(_tenantq_add_link_check target)
  set(name ${target}_tenantq_link_check)
  get_target_property(type ${target} TYPE)
  if(TEST ${name} OR NOT type MATCHES "^(EXECUTABLE|SHARED_LIBRARY|MODULE_LIBRARY)$")
    return()
  endif()
  if(type STREQUAL EXECUTABLE)
    set(kind EXE)
  elseif(type STREQUAL SHARED_LIBRARY)
    set(kind SHARED)
  else()
    set(kind MODULE)
  endif()
  set(flags ${CMAKE_${kind}_LINKER_FLAGS})
  if(CMAKE_BUILD_TYPE)
    string(TOUPPER "${CMAKE_BUILD_TYPE}" config)
    string(APPEND flags " ${CMAKE_${kind}_LINKER_FLAGS_${config}}")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(runtime "")
  foreach(lib tenantq::tenantq tenantq)
    if(TARGET ${lib})
      list(APPEND runtime "$<TARGET_FILE:${lib}>")
      break()
    endif()
  endforeach()
  get_target_property(source_dir ${target} SOURCE_DIR)
  get_target_property(binary_dir ${target} BINARY_DIR)
  # The link command as the linker gets it: recorded by a launcher around the link.
  set(link_line "")
  if(NOT CMAKE_VERSION VERSION_LESS 3.21)
    set(record ${binary_dir}/CMakeFiles/${target}.dir/tenantq-link-line.txt)
    foreach(lang C CXX)
      get_target_property(launcher ${target} ${lang}_LINKER_LAUNCHER)
      if(NOT launcher)
        set(launcher "")
      endif()
      # Last, so that what it records is the linker's own command line.
      set_property(TARGET ${target} PROPERTY ${lang}_LINKER_LAUNCHER
                   ${launcher} sh ${_TENANTQ_LINK_RECORD_SCRIPT} ${record})
    endforeach()
    set(link_line --link-line ${record} --project-dir ${CMAKE_BINARY_DIR}
                  --target-file $<TARGET_FILE:${target}>)
  endif()
  set(prop "$<TARGET_PROPERTY:${target},")
  add_test(NAME ${name}
    COMMAND sh ${_TENANTQ_LINK_CHECK_SCRIPT} ${target}
            ${binary_dir}/CMakeFiles/${target}.dir ${source_dir} ${binary_dir}
            --generated "${prop}TENANTQ_GENERATED_SOURCES>"
            --runtime ${runtime}
            --objects "$<TARGET_OBJECTS:${target}>"
                      "$<FILTER:${prop}SOURCES>,INCLUDE,\\.(o|obj|a)$>"
            --libraries "${prop}LINK_LIBRARIES>"
            --options "${prop}LINK_OPTIONS>" "${prop}LINK_FLAGS>" ${flags}
            ${link_line}
    WORKING_DIRECTORY ${source_dir}
    COMMAND_EXPAND_LISTS)
endfunction()
