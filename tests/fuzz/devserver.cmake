# libFuzzer target over tenantq-devserver's request dispatcher (ds_handle), built from
# the devserver sources without the HTTP layer.
if(DEFINED TENANTQ_DEVSERVER_CORE_SOURCES)
  set(devserver_fuzz_sources ${TENANTQ_DEVSERVER_CORE_SOURCES})
  list(FILTER devserver_fuzz_sources EXCLUDE REGEX "/http\\.c$")
  tenantq_add_fuzzer(devserver_request
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/devserver_request.c ${devserver_fuzz_sources}
    INCLUDES ${PROJECT_SOURCE_DIR}/devserver/src
    LIBS -lcjson -lcrypto -lpthread -lm
    CORPUS ${CMAKE_CURRENT_LIST_DIR}/devserver_request_corpus)
endif()
