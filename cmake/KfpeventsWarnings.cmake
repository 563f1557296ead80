# Strict warnings for our own targets (lib/ and cli/); third-party headers come in as SYSTEM.
function(kfpevents_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(KFPEVENTS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
    # GCC 12 at -O3 reports std::string concatenation as overlapping memcpy (GCC bug 105329);
    # keep the warning, but do not let a compiler bug break Release builds.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE -Wno-error=restrict)
    endif()
  endif()
endfunction()
