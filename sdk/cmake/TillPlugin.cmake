# till_add_plugin(<id> SOURCES <src>... [MANIFEST <plugin.yaml>] [LINK <target>...])
#
# Builds a Till plugin as a shared module named till-<id with '-' for '_'>.so
# (no "lib" prefix) with hidden visibility, every symbol resolved at link time
# (-Wl,--no-undefined), and copies the manifest beside it, so that
# <output dir>/<id>/ holds plugin.yaml and the library: point a node's
# plugins.dirs at <output dir>.
#
# Output dir: TILL_PLUGIN_OUTPUT_DIR if set, else ${CMAKE_BINARY_DIR}/plugins.
# `cmake --install` puts the pair under <prefix>/lib/till/plugins/<id>/.
function(till_add_plugin id)
  cmake_parse_arguments(TP "" "MANIFEST" "SOURCES;LINK" ${ARGN})
  if(NOT TP_SOURCES)
    message(FATAL_ERROR "till_add_plugin(${id}): SOURCES is required")
  endif()
  if(NOT TP_MANIFEST)
    set(TP_MANIFEST ${CMAKE_CURRENT_SOURCE_DIR}/plugin.yaml)
  endif()
  if(NOT EXISTS ${TP_MANIFEST})
    message(FATAL_ERROR "till_add_plugin(${id}): manifest ${TP_MANIFEST} not found")
  endif()
  if(DEFINED TILL_PLUGIN_OUTPUT_DIR)
    set(out_root ${TILL_PLUGIN_OUTPUT_DIR})
  else()
    set(out_root ${CMAKE_BINARY_DIR}/plugins)
  endif()
  set(out_dir ${out_root}/${id})
  string(REPLACE "_" "-" file_id ${id})

  add_library(${id} MODULE ${TP_SOURCES})
  target_link_libraries(${id} PRIVATE till::sdk ${TP_LINK})
  set_target_properties(${id} PROPERTIES
    PREFIX ""
    OUTPUT_NAME till-${file_id}
    LIBRARY_OUTPUT_DIRECTORY ${out_dir}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_compile_features(${id} PRIVATE cxx_std_20)
  # No STB_GNU_UNIQUE symbols, so a test may really unload the library.
  target_compile_options(${id} PRIVATE -fno-gnu-unique)
  target_link_options(${id} PRIVATE -Wl,--no-undefined)
  # configure_file re-runs whenever the manifest changes.
  configure_file(${TP_MANIFEST} ${out_dir}/plugin.yaml COPYONLY)
  install(TARGETS ${id} LIBRARY DESTINATION lib/till/plugins/${id})
  install(FILES ${TP_MANIFEST} DESTINATION lib/till/plugins/${id} RENAME plugin.yaml)
endfunction()
