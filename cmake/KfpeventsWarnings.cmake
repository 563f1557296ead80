# Strict warnings for our own targets (lib/ and cli/); third-party headers come in as SYSTEM.
function(kfpevents_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(KFPEVENTS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
