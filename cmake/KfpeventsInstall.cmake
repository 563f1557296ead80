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

# pkg-config, for builds that do not use CMake. A static library needs its dependencies too:
# `pkg-config --static --libs kfpevents`.
if(BUILD_SHARED_LIBS)
  set(KFPEVENTS_PC_CFLAGS "")
else()
  set(KFPEVENTS_PC_CFLAGS "-DKFPEVENTS_STATIC_DEFINE")
endif()
file(RELATIVE_PATH KFPEVENTS_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file("${PROJECT_SOURCE_DIR}/cmake/kfpevents.pc.in"
               "${PROJECT_BINARY_DIR}/kfpevents.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/kfpevents.pc"
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
