# Install rules and the exported CMake package, so an application can write
#   find_package(tenantq REQUIRED)
#   tenantq_generate(TARGET app SCHEMA app.tqs)
#   target_link_libraries(app PRIVATE tenantq::tenantq)
include(CMakePackageConfigHelpers)

set(TENANTQ_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tenantq)

install(TARGETS tenantq EXPORT tenantqTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/tenantq
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# Installed tools find libtenantq relative to themselves, wherever the prefix lands.
foreach(tool tenantq-gen tenantq-check tenantq-devserver tenantq-probe tenantq-admin)
  if(TARGET ${tool})
    set_target_properties(${tool} PROPERTIES
      INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
    install(TARGETS ${tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()

install(EXPORT tenantqTargets NAMESPACE tenantq:: DESTINATION ${TENANTQ_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tenantqConfig.cmake.in
  ${PROJECT_BINARY_DIR}/tenantqConfig.cmake INSTALL_DESTINATION ${TENANTQ_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tenantqConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tenantqConfig.cmake
              ${PROJECT_BINARY_DIR}/tenantqConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/TenantqGenerate.cmake
        DESTINATION ${TENANTQ_CMAKE_DIR})
