# Install rules, the exported CMake package, the pkg-config file, the man pages and the
# Debian package, so an application can write
#   find_package(tenantq REQUIRED)
#   tenantq_generate(TARGET app SCHEMA app.tqs)
#   target_link_libraries(app PRIVATE tenantq::tenantq)
# or `cc app.c $(pkg-config --cflags --libs tenantq)`. What lands where is listed in
# the README ("Install") and docs/install.md.
include(CMakePackageConfigHelpers)

set(TENANTQ_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tenantq)
set(TENANTQ_DATA_DIR ${CMAKE_INSTALL_DATADIR}/tenantq)

# Every executable tenantq ships, with the one-line description its man page carries.
# tests/install checks that all of them answer --help and --version the same way.
set(TENANTQ_TOOL_DESCRIPTIONS
  "tenantq-gen=generate a typed, tenant-scoped C client from a tenantq schema"
  "tenantq-check=lint gate that fails a build reaching around tenant isolation"
  "tenantq-devserver=in-memory server speaking Qdrant's REST API"
  "tenantq-probe=prove zero cross-tenant leaks against a live server"
  "tenantq-admin=onboard, migrate and offboard tenants")
set(TENANTQ_TOOLS "")
foreach(entry IN LISTS TENANTQ_TOOL_DESCRIPTIONS)
  string(REGEX MATCH "^[^=]+" tool "${entry}")
  if(TARGET ${tool})
    list(APPEND TENANTQ_TOOLS ${tool})
  endif()
endforeach()

install(TARGETS tenantq EXPORT tenantqTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/tenantq
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET tenantq_probe)
  # libtenantq-probe: the probe driver that tenantq_generate(... PROBE) links.
  install(TARGETS tenantq_probe EXPORT tenantqTargets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# Installed tools find libtenantq relative to themselves, wherever the prefix lands.
file(RELATIVE_PATH tenantq_bin_to_lib /${CMAKE_INSTALL_BINDIR} /${CMAKE_INSTALL_LIBDIR})
foreach(tool IN LISTS TENANTQ_TOOLS)
  set_target_properties(${tool} PROPERTIES INSTALL_RPATH "$ORIGIN/${tenantq_bin_to_lib}")
  install(TARGETS ${tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endforeach()

# The CMake package: targets, version, tenantq_generate() and tenantq_add_check().
install(EXPORT tenantqTargets NAMESPACE tenantq:: DESTINATION ${TENANTQ_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tenantqConfig.cmake.in
  ${PROJECT_BINARY_DIR}/tenantqConfig.cmake INSTALL_DESTINATION ${TENANTQ_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tenantqConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tenantqConfig.cmake
              ${PROJECT_BINARY_DIR}/tenantqConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/TenantqGenerate.cmake
              ${PROJECT_SOURCE_DIR}/cmake/TenantqCheck.cmake
              ${PROJECT_SOURCE_DIR}/cmake/TenantqLinkCheck.cmake
        DESTINATION ${TENANTQ_CMAKE_DIR})
install(PROGRAMS ${PROJECT_SOURCE_DIR}/cmake/tenantq-link-check.sh
                 ${PROJECT_SOURCE_DIR}/cmake/tenantq-link-record.sh
        DESTINATION ${TENANTQ_CMAKE_DIR})

# pkg-config: the prefix is computed from the .pc file's own location, so the same file
# is right under /usr, /usr/local or a staging prefix.
file(RELATIVE_PATH tenantq_pc_to_prefix /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" tenantq_pc_to_prefix "${tenantq_pc_to_prefix}")
set(TENANTQ_PC_LIBS_EXTRA "")
if(TENANTQ_SANITIZE)
  # An instrumented libtenantq needs the sanitizer runtimes loaded first.
  set(TENANTQ_PC_LIBS_EXTRA " -fsanitize=address,undefined")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/tenantq.pc.in ${PROJECT_BINARY_DIR}/tenantq.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tenantq.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Documentation, the example application (its schema first of all) and the CI templates.
file(GLOB tenantq_docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${tenantq_docs}
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/kb-assistant
        DESTINATION ${TENANTQ_DATA_DIR}/examples
        PATTERN "*.sh" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
                                   GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ci
        DESTINATION ${TENANTQ_DATA_DIR}/examples
        PATTERN "pre-commit" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
                                         GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# Man pages: help2man runs each built tool's --help and --version at build time.
option(TENANTQ_MAN_PAGES "Generate man pages with help2man" ON)
if(TENANTQ_MAN_PAGES)
  find_program(TENANTQ_HELP2MAN help2man)
  if(NOT TENANTQ_HELP2MAN)
    message(FATAL_ERROR "tenantq: help2man not found; install the Debian package help2man "
                        "(scripts/install-deps.sh does this), or pass -DTENANTQ_MAN_PAGES=OFF")
  endif()
  set(man_dir ${PROJECT_BINARY_DIR}/man/man1)
  set(man_pages "")
  foreach(entry IN LISTS TENANTQ_TOOL_DESCRIPTIONS)
    string(REGEX MATCH "^([^=]+)=(.*)$" unused "${entry}")
    set(tool ${CMAKE_MATCH_1})
    set(description "${CMAKE_MATCH_2}")
    if(NOT TARGET ${tool})
      continue()
    endif()
    set(page ${man_dir}/${tool}.1)
    set(see_also ${PROJECT_BINARY_DIR}/man/${tool}.h2m)
    file(CONFIGURE OUTPUT ${see_also} CONTENT "[SEE ALSO]
The full documentation is installed in ${CMAKE_INSTALL_DOCDIR} under the installation
prefix (/usr/share/doc/tenantq from the Debian package); start with README.md.
")
    # Leak reports of an instrumented tool exiting after --help are not the page's business.
    add_custom_command(
      OUTPUT ${page}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${man_dir}
      COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
              ${TENANTQ_HELP2MAN} --no-info --section=1 --name=${description}
              --include=${see_also} --output=${page} $<TARGET_FILE:${tool}>
      DEPENDS ${tool} ${see_also}
      COMMENT "help2man ${tool}"
      VERBATIM)
    list(APPEND man_pages ${page})
  endforeach()
  add_custom_target(tenantq-man ALL DEPENDS ${man_pages})
  install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

# `cpack -G DEB` in the build directory makes tenantq_<version>_<arch>.deb, installed
# under /usr. Runtime libraries come from dpkg-shlibdeps; what an installed tool needs
# beyond them (clang's resource headers for tenantq-check) is listed by hand.
set(CPACK_PACKAGE_NAME tenantq)
set(CPACK_PACKAGE_VENDOR "tenantq")
set(TENANTQ_DEB_MAINTAINER "tenantq maintainers <tenantq@localhost>" CACHE STRING
    "Maintainer field of the Debian package; set it to a real address before publishing one")
set(CPACK_PACKAGE_CONTACT "${TENANTQ_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "tenant-isolated Qdrant clients for C: generator, runtime, lint gate, dev server")
set(CPACK_PACKAGE_DESCRIPTION
    "tenantq turns a schema into a typed C client whose every call takes a tenant context, "
    "so cross-tenant leakage in a Qdrant-backed application cannot be written by accident. "
    "The package holds tenantq-gen, libtenantq and its headers, tenantq-check (the CI lint "
    "gate), tenantq-devserver (an in-memory Qdrant-compatible server), tenantq-probe, the "
    "CMake package, tenantq.pc, man pages, documentation and the kb-assistant example.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "")
if(TARGET tenantq-check)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libclang-common-14-dev")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cmake (>= 3.20), pkg-config, gcc | c-compiler")
set(CPACK_STRIP_FILES OFF)
set(CPACK_SOURCE_IGNORE_FILES "/build[^/]*/;/\\\\.git/;/node_modules/")
include(CPack)
