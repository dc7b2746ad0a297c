# Script mode: writes OUT, a C++ file defining std::string_view NAMESPACE::FUNCTION() that returns
# the bytes of IN (named SOURCE in comments) as one raw string literal. Called by EmbedText.cmake.
file(READ ${IN} text)
# The literal ends at the first ")traffic_text\"": a file holding that text cannot be embedded.
string(FIND "${text}" ")traffic_text\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${SOURCE} contains )traffic_text\" and cannot be embedded")
endif()
set(body "// Generated from ${SOURCE} by cmake/write_text_file.cmake; do not edit.\n")
string(APPEND body "#include \"${HEADER}\"\n\nnamespace ${NAMESPACE} {\n\n")
string(APPEND body "std::string_view ${FUNCTION}() {\n")
string(APPEND body "  static constexpr char text[] = R\"traffic_text(${text})traffic_text\";\n")
string(APPEND body "  return {text, sizeof text - 1};\n}\n\n} // namespace ${NAMESPACE}\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
