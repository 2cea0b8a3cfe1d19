// Till SDK — version numbers that decide whether a plugin may be loaded.
//
// The kernel reads them from a plugin's C descriptor *before* any C++ object
// crosses the boundary and refuses the plugin (state `incompatible`) when:
//  - its SDK ABI major differs from the kernel's,
//  - its SDK ABI minor is newer than the kernel's (older minors load),
//  - its C++ ABI tag differs (compiler ABI or libstdc++ string ABI).
#pragma once

#include <string>  // defines _GLIBCXX_USE_CXX11_ABI

#define TILL_SDK_ABI_MAJOR 1
#define TILL_SDK_ABI_MINOR 1

#define TILL_SDK_STR_IMPL_(x) #x
#define TILL_SDK_STR_(x) TILL_SDK_STR_IMPL_(x)

#if defined(__GXX_ABI_VERSION) && defined(_GLIBCXX_USE_CXX11_ABI)
/// Compiler C++ ABI version and libstdc++ dual-ABI switch, e.g.
/// "gxx-abi-1017/cxx11-1". Plugins and kernel must agree exactly.
#define TILL_CXX_ABI_TAG \
    "gxx-abi-" TILL_SDK_STR_(__GXX_ABI_VERSION) "/cxx11-" TILL_SDK_STR_(_GLIBCXX_USE_CXX11_ABI)
#else
#error "Till plugins need GCC or Clang with libstdc++ (see docs/sdk/getting-started.md)"
#endif
