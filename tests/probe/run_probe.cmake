# run_probe.cmake: runs tenantq-probe and checks its exit status and JSON report.
#   MODE=live: PROBE, NAME, PLACEMENTS (comma list), ARGS (comma list), WORKDIR.
#     Expects exit 0, one report per placement in order, and in each: leaks 0,
#     leak_guard_trips 0, eleak_results 0, failed_checks 0, probes_run equal to
#     probes_requested and above 0, pairs_covered equal to pairs_total, and a
#     per_tenant row for every tenant.
#   With TENANTQ_QDRANT_URL set, the probe runs against that server instead of spawning
#   its own (a test's own --api-key gives way to TENANTQ_QDRANT_API_KEY when both exist).
#   MODE=cli: PROBE only. Expects exit 2 for each set-up error below (bad arguments, a
#   dimension no client was generated for, a server that refuses connections).
cmake_minimum_required(VERSION 3.20)

function(fail msg)
  message(FATAL_ERROR "probe test: ${msg}")
endfunction()
include(${CMAKE_CURRENT_LIST_DIR}/report_clean.cmake)

if(MODE STREQUAL "cli")
  foreach(bad "--dim;100" "--tenants;1" "--placement;sideways" "--batch;0" "--url;ftp://x"
              "--jwt;--url;http://127.0.0.1:9" "--tenant-prefix;UPPER"
              "--url;http://127.0.0.1:9;--tenants;2;--vectors;10")
    execute_process(COMMAND ${PROBE} ${bad} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 2)
      fail("'${bad}' exited ${rc}, expected 2: ${err}")
    endif()
  endforeach()
  execute_process(COMMAND ${PROBE} --help RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "usage: tenantq-probe")
    fail("--help exited ${rc}")
  endif()
  return()
endif()

string(REPLACE "," ";" args "${ARGS}")
# Like the other live suites, run against a real server when TENANTQ_QDRANT_URL is set
# (its key from TENANTQ_QDRANT_API_KEY, which the probe reads itself).
if(DEFINED ENV{TENANTQ_QDRANT_URL} AND NOT "$ENV{TENANTQ_QDRANT_URL}" STREQUAL "")
  list(APPEND args --url "$ENV{TENANTQ_QDRANT_URL}")
  list(FIND args --api-key key_at)
  if(NOT key_at EQUAL -1 AND DEFINED ENV{TENANTQ_QDRANT_API_KEY})
    math(EXPR value_at "${key_at} + 1")
    list(REMOVE_AT args ${value_at})
    list(REMOVE_AT args ${key_at})
  endif()
endif()
string(REPLACE "," ";" placements "${PLACEMENTS}")
set(report ${WORKDIR}/probe-${NAME}.json)
set(svg ${WORKDIR}/probe-${NAME}.svg)
file(REMOVE ${report} ${svg})
execute_process(COMMAND ${PROBE} ${args} --report ${report} --svg ${svg}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(NOT rc EQUAL 0)
  fail("tenantq-probe exited ${rc}\n${err}")
endif()
if(NOT EXISTS ${report} OR NOT EXISTS ${svg})
  fail("no report or chart written")
endif()
file(READ ${report} json)
file(READ ${svg} chart)
if(NOT chart MATCHES "<svg" OR NOT chart MATCHES "</svg>")
  fail("the chart is not an SVG document")
endif()

list(LENGTH placements want)
string(JSON kind ERROR_VARIABLE none TYPE "${json}" reports)
set(objects)
if(kind STREQUAL "ARRAY")
  string(JSON n LENGTH "${json}" reports)
  math(EXPR last "${n} - 1")
  foreach(i RANGE ${last})
    string(JSON obj GET "${json}" reports ${i})
    list(APPEND objects "${obj}")
  endforeach()
else()
  set(n 1)
  list(APPEND objects "${json}")
endif()
if(NOT n EQUAL want)
  fail("${n} reports, expected ${want}")
endif()

set(i 0)
foreach(obj IN LISTS objects)
  list(GET placements ${i} expected)
  math(EXPR i "${i} + 1")
  string(JSON placement GET "${obj}" placement)
  if(NOT placement STREQUAL expected)
    fail("report ${i} is for ${placement}, expected ${expected}")
  endif()
  probe_report_clean("${obj}" "${placement}")
  string(JSON tenants GET "${obj}" tenants)
  string(JSON rows LENGTH "${obj}" per_tenant)
  if(NOT rows EQUAL tenants)
    fail("${placement}: ${rows} per_tenant rows for ${tenants} tenants")
  endif()
  string(JSON recall GET "${obj}" recall_at_k_min)
  string(JSON vps GET "${obj}" ingest vectors_per_s)
  string(JSON p50 GET "${obj}" latency_ms p50)
  string(JSON p95 GET "${obj}" latency_ms p95)
  message("${placement}: leaks 0, recall@k min ${recall}, ingest ${vps} vectors/s, "
          "p50 ${p50} ms, p95 ${p95} ms")
endforeach()
