# Fuzzer over the schema language (lexer, parser, checks, diagnostics rendering),
# seeded with the schemas of the schema and codegen tests.
set(schema_dir ${PROJECT_SOURCE_DIR}/schema)
tenantq_add_fuzzer(fuzz_schema_parse
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/schema_parse.c
          ${schema_dir}/checks.c ${schema_dir}/diag.c ${schema_dir}/lexer.c
          ${schema_dir}/mem.c ${schema_dir}/names.c ${schema_dir}/parser.c
          ${schema_dir}/schema.c ${PROJECT_SOURCE_DIR}/tests/schema/util.c
  INCLUDES ${schema_dir} ${PROJECT_SOURCE_DIR}/tests/schema
  CORPUS ${PROJECT_SOURCE_DIR}/tests/schema/cases)

# Fuzzer over tenantq-gen's breaking check and fingerprints: two schemas separated by a
# NUL byte, seeded with the evolution tests' schemas (each compared with itself).
set(gen_dir ${PROJECT_SOURCE_DIR}/codegen)
tenantq_add_fuzzer(fuzz_schema_breaking
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/schema_breaking.c
          ${gen_dir}/breaking.c ${gen_dir}/fingerprint.c ${gen_dir}/files.c
          ${gen_dir}/sha256.c ${PROJECT_SOURCE_DIR}/runtime/src/shape.c
          ${schema_dir}/checks.c ${schema_dir}/diag.c ${schema_dir}/lexer.c
          ${schema_dir}/mem.c ${schema_dir}/names.c ${schema_dir}/parser.c
          ${schema_dir}/schema.c
  INCLUDES ${schema_dir} ${gen_dir} ${PROJECT_SOURCE_DIR}/runtime/include
           ${PROJECT_SOURCE_DIR}/runtime/src
  LIBS -lcrypto
  CORPUS ${PROJECT_SOURCE_DIR}/tests/evolution/schemas)
