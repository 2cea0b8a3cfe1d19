# Compiler settings shared by every target in the tree.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

add_compile_options(-Wall -Wextra -Wpedantic -Wno-unused-parameter)
if(TILL_WERROR)
  add_compile_options(-Werror)
endif()
if(TILL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # Line tables are all a sanitizer report needs; full debug info would make
  # this build (the one .ci/run uses) much slower to compile and link.
  if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    add_compile_options(-g1)
  endif()
endif()
# Boost.DLL on std::filesystem: no Boost.Filesystem, faster builds. Must be
# identical in every translation unit (PITFALLS.md).
add_compile_definitions(BOOST_DLL_USE_STD_FS)
