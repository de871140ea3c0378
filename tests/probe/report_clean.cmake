# report_clean.cmake: the checks every report object of a probe run must pass, shared
# by run_probe.cmake and run_schema_probe.cmake (each defines fail()): nothing leaked,
# tripped the guard or failed, every requested probe ran, and every ordered tenant
# pair was probed. LABEL starts each message.
function(probe_report_clean obj label)
  foreach(zero leaks leak_guard_trips eleak_results failed_checks)
    string(JSON v GET "${obj}" ${zero})
    if(NOT v EQUAL 0)
      fail("${label}: ${zero} = ${v}")
    endif()
  endforeach()
  string(JSON run GET "${obj}" probes_run)
  string(JSON requested GET "${obj}" probes_requested)
  if(NOT run EQUAL requested OR run EQUAL 0)
    fail("${label}: ${run} of ${requested} probes ran")
  endif()
  string(JSON covered GET "${obj}" pairs_covered)
  string(JSON total GET "${obj}" pairs_total)
  if(NOT covered EQUAL total)
    fail("${label}: ${covered} of ${total} ordered tenant pairs probed")
  endif()
endfunction()
