# Embeds a text file into a target as a C++ function returning std::string_view, so the binary
# serves it without files beside it at run time (the OpenAPI document, http/openapi.json).
#
# traffic_embed_text(TARGET t INPUT file HEADER "http/x.hpp" NAMESPACE traffic::http FUNCTION f)
# generates <build>/generated/<f>.cpp defining `std::string_view NAMESPACE::FUNCTION()` (declared
# in HEADER) and adds it to TARGET. The file is re-embedded whenever it changes.
function(traffic_embed_text)
  cmake_parse_arguments(ARG "" "TARGET;INPUT;HEADER;NAMESPACE;FUNCTION" "" ${ARGN})
  set(out ${PROJECT_BINARY_DIR}/generated/${ARG_FUNCTION}.cpp)
  file(RELATIVE_PATH source ${PROJECT_SOURCE_DIR} ${ARG_INPUT})
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DIN=${ARG_INPUT} -DSOURCE=${source}
            -DHEADER=${ARG_HEADER} -DNAMESPACE=${ARG_NAMESPACE} -DFUNCTION=${ARG_FUNCTION}
            -P ${PROJECT_SOURCE_DIR}/cmake/write_text_file.cmake
    DEPENDS ${ARG_INPUT} ${PROJECT_SOURCE_DIR}/cmake/write_text_file.cmake
    COMMENT "Embedding ${source}")
  target_sources(${ARG_TARGET} PRIVATE ${out})
endfunction()
