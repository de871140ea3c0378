# Locates the Debian packages tenantq builds on and fails with the package name to
# install when one is missing. scripts/install-deps.sh installs all of them.
find_package(PkgConfig REQUIRED)

macro(tenantq_require_pkg var module debpkg)
  pkg_check_modules(${var} IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "tenantq: ${module} not found; install the Debian package "
                        "${debpkg} (scripts/install-deps.sh does this)")
  endif()
endmacro()

tenantq_require_pkg(CJSON libcjson libcjson-dev)
tenantq_require_pkg(CURL libcurl libcurl4-openssl-dev)
tenantq_require_pkg(MHD libmicrohttpd libmicrohttpd-dev)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)

# Snowball stemmers for the runtime's BM25 vectors; Debian ships no pkg-config file.
find_path(TENANTQ_STEMMER_INCLUDE libstemmer.h)
find_library(TENANTQ_STEMMER_LIBRARY NAMES stemmer)
if(NOT TENANTQ_STEMMER_INCLUDE OR NOT TENANTQ_STEMMER_LIBRARY)
  message(FATAL_ERROR "tenantq: libstemmer not found; install the Debian package "
                      "libstemmer-dev (scripts/install-deps.sh does this)")
endif()
add_library(tenantq_stemmer INTERFACE)
target_include_directories(tenantq_stemmer INTERFACE ${TENANTQ_STEMMER_INCLUDE})
target_link_libraries(tenantq_stemmer INTERFACE ${TENANTQ_STEMMER_LIBRARY})
find_package(Threads REQUIRED)

if(TENANTQ_BUILD_TESTS)
  tenantq_require_pkg(CMOCKA cmocka libcmocka-dev)
endif()

if(TENANTQ_BUILD_CHECKER)
  find_path(TENANTQ_CLANG_INCLUDE clang-c/Index.h PATHS /usr/lib/llvm-14/include NO_DEFAULT_PATH)
  find_library(TENANTQ_LIBCLANG NAMES clang libclang PATHS /usr/lib/llvm-14/lib NO_DEFAULT_PATH)
  if(NOT TENANTQ_CLANG_INCLUDE OR NOT TENANTQ_LIBCLANG)
    message(FATAL_ERROR "tenantq: libclang 14 not found under /usr/lib/llvm-14; install "
                        "the Debian package libclang-dev, or pass -DTENANTQ_BUILD_CHECKER=OFF")
  endif()
endif()
