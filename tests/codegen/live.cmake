# codegen.live (label live): the generated kb client (tenantq_generate over
# schemas/kb.tqs) against two tenantq-devserver processes, one standing in for a
# dedicated endpoint. Included only when the runtime and tq_test_support exist.
add_executable(test_codegen_live live_test.c)
tenantq_generate(TARGET test_codegen_live SCHEMA schemas/kb.tqs)
target_link_libraries(test_codegen_live PRIVATE tenantq tq_test_support PkgConfig::CMOCKA m)
tenantq_target_defaults(test_codegen_live)
add_test(NAME codegen.live COMMAND test_codegen_live)
set_tests_properties(codegen.live PROPERTIES LABELS live TIMEOUT 300)

# codegen.live_types: every field type and filter kind of the generated `wide` client.
add_executable(test_codegen_live_types live_types_test.c)
tenantq_generate(TARGET test_codegen_live_types SCHEMA schemas/wide.tqs)
target_link_libraries(test_codegen_live_types PRIVATE tenantq tq_test_support PkgConfig::CMOCKA)
tenantq_target_defaults(test_codegen_live_types)
add_test(NAME codegen.live_types COMMAND test_codegen_live_types)
set_tests_properties(codegen.live_types PROPERTIES LABELS live TIMEOUT 300)

# codegen.live_hybrid: text, hybrid and grouped search of the generated `hybrid` client
# in every placement, the incident's query shape, and IDF scores that another tenant's
# documents cannot move.
add_executable(test_codegen_live_hybrid live_hybrid_test.c)
tenantq_generate(TARGET test_codegen_live_hybrid SCHEMA schemas/hybrid.tqs)
target_link_libraries(test_codegen_live_hybrid PRIVATE tenantq tq_test_support PkgConfig::CMOCKA)
tenantq_target_defaults(test_codegen_live_hybrid)
add_test(NAME codegen.live_hybrid COMMAND test_codegen_live_hybrid)
set_tests_properties(codegen.live_hybrid PROPERTIES LABELS live TIMEOUT 300)
