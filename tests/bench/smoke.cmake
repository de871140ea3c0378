# smoke.cmake: runs tenantq-bench and `tenantq-bench growth` at a tiny size into a
# scratch copy of a performance document and checks what they wrote: the prose outside
# the sections kept, one row per client with numbers and ratios (the JS row only when
# scripts/npm-deps.sh installed its client), the tenant layer's own ratio, one row per
# thread count, one row per operation and probe kind, one row per growth point, and an
# SVG chart; then each in-process client alone under --only. Inputs: BENCH, SOURCE_DIR,
# WORKDIR.
cmake_minimum_required(VERSION 3.20)

function(fail msg)
  message(FATAL_ERROR "bench smoke test: ${msg}")
endfunction()

set(doc ${WORKDIR}/performance.md)
set(svg ${WORKDIR}/growth.svg)
file(WRITE ${doc} "before\n<!-- tenantq-bench:begin -->\nold\n<!-- tenantq-bench:end -->\n"
     "ops\n<!-- tenantq-bench-ops:begin -->\nold\n<!-- tenantq-bench-ops:end -->\n"
     "middle\n<!-- tenantq-bench-growth:begin -->\nold\n<!-- tenantq-bench-growth:end -->\n"
     "after\n")
file(REMOVE ${svg})

set(js_args "")
set(js_row "[0-9]+ \\| [0-9.]+ ms \\| [0-9.]+ ms \\| [0-9.]+x \\| [0-9.]+x \\|")
if(NOT EXISTS ${SOURCE_DIR}/tests/contract/node_modules/@qdrant/js-client-rest/package.json)
  set(js_args --no-js)
  set(js_row "not measured")
endif()
execute_process(COMMAND ${BENCH} --rounds 1 --tenants 2 --vectors 40 --batch 16 --searches 10
                        --threads 1,2 ${js_args} --out ${doc}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  fail("tenantq-bench exited ${rc}: ${err}")
endif()
execute_process(COMMAND ${BENCH} ops --tenants 2 --vectors 20 --probes 26 --out ${doc}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  fail("tenantq-bench ops exited ${rc}: ${err}")
endif()
execute_process(COMMAND ${BENCH} growth --tenants 2,3 --tenant-vectors 10 --sizes 30
                        --size-tenants 2 --placements shared --probes 10 --out ${doc}
                        --svg ${svg}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  fail("tenantq-bench growth exited ${rc}: ${err}")
endif()

file(READ ${doc} text)
set(row "[0-9]+ \\| [0-9.]+ ms \\| [0-9.]+ ms \\| [0-9.]+x \\| [0-9.]+x \\|")
set(cell " [0-9.]+ ms \\| [0-9.]+ ms \\| [1-9][0-9]* \\|")
foreach(want
    "^before\n<!-- tenantq-bench:begin -->\nMeasured "
    "\n<!-- tenantq-bench:end -->\nops\n<!-- tenantq-bench-ops:begin -->\nMeasured "
    "\n<!-- tenantq-bench-ops:end -->\nmiddle\n<!-- tenantq-bench-growth:begin -->\nMeasured "
    "\n<!-- tenantq-bench-growth:end -->\nafter\n$"
    "by `tenantq-bench --rounds 1 "
    "[0-9]+ cores, load average [0-9.]+ [0-9.]+ [0-9.]+ before"
    "\n\\| generated tenantq client \\| ${row}\n"
    "\n\\| hand-written libcurl [^|]+\\| [0-9]+ \\| [0-9.]+ ms \\| [0-9.]+ ms \\| 1.00x \\| 1.00x \\|\n"
    "\n\\| the same hand-written client with a connection per tenant[^|]+\\| ${row}\n"
    "\n\\| the same with HTTP/1.1 written by hand over libcurl's connection[^|]+\\| ${row}\n"
    "\nThe tenant layer alone, the generated client against the hand-written client with the same transport and the same connection per tenant: [0-9.]+x at the p50 and [0-9.]+x at the p95 "
    "\n\\| official `@qdrant/js-client-rest` 1.19[^|]+\\| ${js_row}"
    "\n\\| 1 \\| [0-9]+ \\| [0-9.]+ ms \\| [0-9]+ \\| [0-9.]+ ms \\|\n"
    "\n\\| 2 \\| [0-9]+ \\| [0-9.]+ ms \\| [0-9]+ \\| [0-9.]+ ms \\|\n"
    "\n\\| shared \\| 2 \\| 10 \\| [0-9]+ \\| [0-9.]+ ms \\| [0-9.]+ ms \\| -?[0-9]+ B \\| [0-9.]+ s \\| [0-9.]+ s \\|\n"
    "\n\\| shared \\| 3 \\| 10 \\| [0-9]+ \\|"
    "\n\\| shared \\| 2 \\| 30 \\| [0-9]+ \\|"
    "\n\\| call `search` \\|${cell}${cell}\n"
    "\n\\| call `get` \\|${cell}${cell}\n"
    "\n\\| call `count` \\|${cell}${cell}\n"
    "\n\\| call `scroll` \\|${cell}${cell}\n"
    "\n\\| call `delete` \\|${cell}${cell}\n"
    "\n\\| call `text_search` \\|${cell}${cell}\n"
    "\n\\| call `hybrid` \\|${cell}${cell}\n"
    "\n\\| call `search_groups` \\|${cell}${cell}\n"
    "\n\\| probe `exact_vector` \\|${cell}${cell}\n"
    "\n\\| probe `near_vector` \\|${cell}${cell}\n"
    "\n\\| probe `topic_centroid` \\|${cell}${cell}\n"
    "\n\\| probe `payload_filter` \\|${cell}${cell}\n"
    "\n\\| probe `get_by_key` \\|${cell}${cell}\n"
    "\n\\| probe `delete_by_key` \\|${cell}${cell}\n"
    "\n\\| probe `count_scroll` \\|${cell}${cell}\n"
    "\n\\| probe `client_switch` \\|${cell}${cell}\n"
    "\n\\| probe `interleaved` \\|${cell}${cell}\n"
    "\n\\| probe `other_scope` \\|${cell}${cell}\n"
    "\n\\| probe `sparse_terms` \\|${cell}${cell}\n"
    "\n\\| probe `hybrid` \\|${cell}${cell}\n"
    "\n\\| probe `grouped` \\|${cell}${cell}\n"
    "!\\[read latency p50/p95 per growth point\\]\\(growth.svg\\)")
  if(NOT text MATCHES "${want}")
    fail("the document does not match '${want}':\n${text}")
  endif()
endforeach()
string(REGEX MATCHALL "old" stale "${text}")
if(stale)
  fail("a section still holds its old text:\n${text}")
endif()

file(READ ${svg} chart)
if(NOT chart MATCHES "^<\\?xml [^\n]*\n<svg " OR NOT chart MATCHES "</svg>\n$"
   OR NOT chart MATCHES "shared placement, growing tenant count"
   OR NOT chart MATCHES "shared placement, growing tenant size")
  fail("the growth chart is not the expected SVG:\n${chart}")
endif()

# The comparison says where it ran: pinned by default on two cores or more, unpinned
# with --no-pin (and so always on one core).
file(READ ${doc} text)
if(NOT text MATCHES "blocks of 10 searches after 100 untimed ones, (the clients on core [0-9]+ and every devserver thread on core [0-9]+|unpinned \\([^)]+\\));")
  fail("the comparison does not say where its clients and servers ran")
endif()
execute_process(COMMAND ${BENCH} --rounds 1 --tenants 2 --vectors 4 --searches 2 --threads none
                        --no-js --no-pin
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "blocks of 10 searches after 100 untimed ones, unpinned \\(--no-pin\\);")
  fail("--no-pin gave exit ${rc}: ${err}${out}")
endif()

# Held to one core, the comparison runs unpinned and says why (skipped when core 0 is
# not this machine's to give).
find_program(TASKSET taskset)
if(TASKSET)
  execute_process(COMMAND ${TASKSET} -c 0 ${BENCH} --rounds 1 --tenants 2 --vectors 4
                          --searches 2 --threads none --no-js
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT err MATCHES "^taskset:" AND
     (NOT rc EQUAL 0 OR NOT out MATCHES "unpinned \\(fewer than two cores to run on\\);"))
    fail("on one core the bench gave exit ${rc}: ${err}${out}")
  endif()
endif()

# Each in-process client runs alone under --only (as bench/profile.sh runs them); an
# unknown one is refused with exit 2 and the names it takes.
foreach(client generated handwritten handwritten-per-tenant handwritten-wire)
  execute_process(COMMAND ${BENCH} --only ${client} --tenants 2 --vectors 4 --searches 2
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "^${client}: ingest [0-9]+ vectors/s, search p50 ")
    fail("--only ${client} gave exit ${rc}: ${err}${out}")
  endif()
endforeach()
execute_process(COMMAND ${BENCH} --only handwritten-everywhere RESULT_VARIABLE rc
                ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 2 OR NOT err MATCHES "--only needs generated, handwritten, handwritten-per-tenant or handwritten-wire, not 'handwritten-everywhere'")
  fail("--only handwritten-everywhere gave exit ${rc}: ${err}")
endif()

# A document without the sections is refused, not overwritten.
file(WRITE ${doc} "no markers here\n")
execute_process(COMMAND ${BENCH} --rounds 1 --tenants 2 --vectors 4 --searches 2 --threads none
                        --no-js --out ${doc}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
file(READ ${doc} text)
if(rc EQUAL 0 OR NOT text STREQUAL "no markers here\n" OR NOT err MATCHES "no 'tenantq-bench'")
  fail("a document without markers gave exit ${rc}, '${err}', and now holds '${text}'")
endif()

# Bad options of the probe-running subcommands are refused with exit 2 and a message
# naming the option, before anything runs.
foreach(bad "ops;--placements;shared,bogus" "ops;--placements;sharedx" "ops;--tenants;1x"
        "ops;--tenants;2,3" "ops;--probes;0" "growth;--tenants;10,,100"
        "growth;--tenants;10,100," "growth;--placements;collection,collection"
        "growth;--tenants;-5")
  list(GET bad 1 option)
  execute_process(COMMAND ${BENCH} ${bad} RESULT_VARIABLE rc ERROR_VARIABLE err
                  OUTPUT_QUIET)
  if(NOT rc EQUAL 2 OR NOT err MATCHES "error: ${option}")
    fail("'${bad}' gave exit ${rc}: ${err}")
  endif()
endforeach()
