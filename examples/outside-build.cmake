# outside-build.cmake: builds and tests an example the way an application would.
# cmake -DMAIN_BUILD=... -DSTAGE=... -DSOURCE=... -DBUILD=... -DGENERATOR=...
#       -DC_COMPILER=... [-DC_FLAGS=...] [-DLINK_FLAGS=...] [-DREQUIRE_CHECK=ON]
#       -P outside-build.cmake
# Each step must succeed; the first failure ends the run with its output.
foreach(var MAIN_BUILD STAGE SOURCE BUILD GENERATOR C_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "outside-build: -D${var}=... is required")
  endif()
endforeach()

function(step description)
  message(STATUS "outside-build: ${description}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "outside-build: ${description} failed (${rc})")
  endif()
endfunction()

file(REMOVE_RECURSE ${STAGE} ${BUILD})
step("install tenantq into ${STAGE}"
     ${CMAKE_COMMAND} --install ${MAIN_BUILD} --prefix ${STAGE})
step("configure ${SOURCE} against the installed package"
     ${CMAKE_COMMAND} -S ${SOURCE} -B ${BUILD} -G ${GENERATOR}
     -DCMAKE_C_COMPILER=${C_COMPILER}
     -DCMAKE_PREFIX_PATH=${STAGE}
     -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
     -DKB_REQUIRE_DEVSERVER=ON
     "-DKB_REQUIRE_CHECK=${REQUIRE_CHECK}"
     "-DCMAKE_C_FLAGS=${C_FLAGS}"
     "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}")
step("build" ${CMAKE_COMMAND} --build ${BUILD} -j 2)
step("test" ${CMAKE_CTEST_COMMAND} --test-dir ${BUILD} --output-on-failure)
