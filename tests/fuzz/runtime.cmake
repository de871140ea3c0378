# libFuzzer target over libtenantq's response parsing (points parser with the leak
# guard and limits, count/exists parsers, error-message extraction), seeded with
# crafted answers whose point ids are derived like the runtime's.
set(runtime_src ${PROJECT_SOURCE_DIR}/runtime/src)
tenantq_add_fuzzer(runtime_response
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/runtime_response.c
          ${runtime_src}/alloc.c ${runtime_src}/http_error.c ${runtime_src}/json.c
          ${runtime_src}/jscan.c ${runtime_src}/result.c ${runtime_src}/status.c ${runtime_src}/text.c
          ${runtime_src}/uuid.c ${runtime_src}/float_text.c
  INCLUDES ${PROJECT_SOURCE_DIR}/runtime/include ${runtime_src}
  LIBS -lcjson -lcrypto -lm
  CORPUS ${CMAKE_CURRENT_LIST_DIR}/runtime_response_corpus)

# libFuzzer target over the HTTP/1.1 answer reader: framing, limits, splits.
tenantq_add_fuzzer(runtime_http_wire
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/runtime_http_wire.c
          ${runtime_src}/alloc.c ${runtime_src}/http_wire.c
  INCLUDES ${PROJECT_SOURCE_DIR}/runtime/include ${runtime_src}
  CORPUS ${CMAKE_CURRENT_LIST_DIR}/runtime_http_wire_corpus)
