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

# The files built by the project's own targets that `target` links, directly or through
# other targets: other targets of the project, which its link check does not read (each
# gets a check of its own). Run at the end of the top-level directory, once every
# target_link_libraries() call has been made; stored for the test's command line.
function(_tenantq_link_check_project_files target)
  set(pending ${target})
  set(seen ${target})
  set(files "")
  while(pending)
    list(POP_FRONT pending t)
    get_target_property(aliased ${t} ALIASED_TARGET)
    if(aliased)
      set(t ${aliased})
    endif()
    foreach(prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
      get_target_property(libs ${t} ${prop})
      if(NOT libs)
        continue()
      endif()
      foreach(lib IN LISTS libs)
        string(REGEX REPLACE "^\\$<LINK_ONLY:(.+)>$" "\\1" lib "${lib}")
        if(NOT TARGET "${lib}" OR "${lib}" IN_LIST seen)
          continue()
        endif()
        list(APPEND seen "${lib}")
        list(APPEND pending "${lib}")
        get_target_property(imported ${lib} IMPORTED)
        get_target_property(type ${lib} TYPE)
        if(NOT imported AND type MATCHES "^(STATIC|SHARED|MODULE)_LIBRARY$")
          list(APPEND files "$<TARGET_FILE:${lib}>")
        elseif(NOT imported AND type STREQUAL "OBJECT_LIBRARY")
          list(APPEND files "$<TARGET_OBJECTS:${lib}>")
        endif()
      endforeach()
    endforeach()
  endwhile()
  set_property(TARGET ${target} PROPERTY TENANTQ_LINK_CHECK_PROJECT_FILES "${files}")
endfunction()

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
    # A deferred call reads its arguments when it runs: the name goes in as text.
    cmake_language(EVAL CODE "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]]
                   CALL _tenantq_link_check_project_files [[${target}]])")
    set(link_line --link-line ${record} --target-file $<TARGET_FILE:${target}>
        --project-files
        "$<TARGET_GENEX_EVAL:${target},$<TARGET_PROPERTY:${target},TENANTQ_LINK_CHECK_PROJECT_FILES>>")
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
