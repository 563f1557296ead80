# Installs the public headers and the library with a CMake package (find_package(kfpevents)).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/kfpevents"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES "${PROJECT_BINARY_DIR}/generated/include/kfpevents/export.hpp"
              "${PROJECT_BINARY_DIR}/generated/include/kfpevents/version.hpp"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kfpevents)
install(TARGETS kfpevents EXPORT kfpeventsTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT kfpeventsTargets NAMESPACE kfpevents::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kfpevents)
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/kfpeventsConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/kfpeventsConfig.cmake"
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kfpevents)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/kfpeventsConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/kfpeventsConfig.cmake"
              "${PROJECT_BINARY_DIR}/kfpeventsConfigVersion.cmake"
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kfpevents)
