# Every dependency comes from Debian's packages (scripts/install-deps.sh installs them).
# All of them are private to the library but libcurl, which kfpevents/curl_transfer.hpp hands
# to subscribers that run as curl transfers.
find_package(Threads REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(RapidJSON REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(simdjson REQUIRED)  # Workflows are summarized on demand (lib/json/on_demand.hpp)
find_package(ZLIB REQUIRED)  # Argo's status.compressedNodes (lib/core/gunzip.hpp)
find_package(PkgConfig REQUIRED)
# The health server (lib/observe/health_server.cpp); Debian ships cpp-httplib compiled.
pkg_check_modules(CPPHTTPLIB REQUIRED IMPORTED_TARGET GLOBAL cpp-httplib)
# `type: nats` (lib/nats): Debian's NATS C client. Its CMake config names libprotobuf-c.so,
# which only the -dev package Debian does not pull in provides; pkg-config needs none.
pkg_check_modules(NATS REQUIRED IMPORTED_TARGET GLOBAL libnats)

# Templates (lib/format, lib/trigger, lib/nats): kainjow's header-only Mustache, named here so
# that a missing package fails the configure step, not a compile.
find_path(KAINJOW_MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
if(NOT TARGET kfpevents_mustache)
  add_library(kfpevents_mustache INTERFACE)
  target_include_directories(kfpevents_mustache SYSTEM INTERFACE ${KAINJOW_MUSTACHE_INCLUDE_DIR})
endif()

# Debian's RapidJSON config sets variables, not a target: wrap it in one.
if(NOT TARGET kfpevents_rapidjson)
  add_library(kfpevents_rapidjson INTERFACE)
  target_include_directories(kfpevents_rapidjson SYSTEM INTERFACE ${RapidJSON_INCLUDE_DIRS}
                                                                   ${RAPIDJSON_INCLUDE_DIRS})
  # Untrusted input must never reach an assert(): parse errors are checked explicitly.
  target_compile_definitions(kfpevents_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
endif()

if(KFPEVENTS_BUILD_CLI)
  find_package(CLI11 REQUIRED)
endif()
