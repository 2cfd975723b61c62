# waybill_embed(TARGET_VAR OUT_CPP SYMBOL FILE): generate a .cpp defining
#   std::string_view waybill::data::SYMBOL()
# with the bytes of FILE, regenerated whenever FILE changes.
function(waybill_embed out_var symbol file)
  set(out "${CMAKE_BINARY_DIR}/embedded/${symbol}.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DSYMBOL=${symbol}
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake"
    DEPENDS "${file}" "${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake"
    COMMENT "Embedding ${file}")
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()
