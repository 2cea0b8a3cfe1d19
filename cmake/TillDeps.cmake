# Third-party dependencies, all from Debian 12 packages (see scripts in .ci/ and
# tools/setup.sh for the package list).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LUAJIT REQUIRED IMPORTED_TARGET luajit)

# Poco 1.11's PocoDataPostgreSQLTargets.cmake links PostgreSQL::client, which
# nothing defines; provide it before asking for Poco.
find_package(PostgreSQL REQUIRED)
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PostgreSQL::PostgreSQL)
endif()
find_package(Poco REQUIRED COMPONENTS Foundation Net NetSSL Util JSON JWT Crypto Data DataSQLite DataPostgreSQL)
find_package(yaml-cpp REQUIRED)
find_package(spdlog REQUIRED)
if(TILL_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
  include(Catch)
  # Every discovered test runs its case with --warn NoTests: a name the
  # filter does not match (a ';' in a TEST_CASE name splits it in CMake's
  # lists) then fails instead of passing with nothing run.
  function(catch_discover_tests TARGET)
    _catch_discover_tests(${TARGET} ${ARGN} EXTRA_ARGS --warn NoTests)
  endfunction()
endif()
