# libFuzzer target over the client half of hybrid retrieval: grouped answers flattened
# and parsed through the leak guard, and the BM25 tokeniser and vector builders.
set(runtime_src ${PROJECT_SOURCE_DIR}/runtime/src)
tenantq_add_fuzzer(runtime_retrieval
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/runtime_retrieval.c
          ${runtime_src}/alloc.c ${runtime_src}/bm25.c ${runtime_src}/groups.c
          ${runtime_src}/json.c ${runtime_src}/jscan.c ${runtime_src}/result.c ${runtime_src}/status.c
          ${runtime_src}/text.c ${runtime_src}/uuid.c ${runtime_src}/float_text.c
  INCLUDES ${PROJECT_SOURCE_DIR}/runtime/include ${runtime_src}
  LIBS -lcjson -lcrypto -lm -lstemmer
  CORPUS ${CMAKE_CURRENT_LIST_DIR}/runtime_retrieval_corpus)
