# Included by storage/CMakeLists.txt (a custom command output is only seen in its own
# directory). Embeds every sql/*.sql file into the storage library as a string, so C++ never builds SQL
# text by concatenation and the binary needs no files beside it at run time.
file(GLOB TRAFFIC_SQL_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/sql/*.sql)
set(TRAFFIC_SQL_CPP ${PROJECT_BINARY_DIR}/generated/sql_files.cpp)
add_custom_command(
  OUTPUT ${TRAFFIC_SQL_CPP}
  COMMAND ${CMAKE_COMMAND} -DOUT=${TRAFFIC_SQL_CPP} -DSQL_DIR=${PROJECT_SOURCE_DIR}/sql
          -P ${PROJECT_SOURCE_DIR}/cmake/write_sql_files.cmake
  DEPENDS ${TRAFFIC_SQL_FILES} ${PROJECT_SOURCE_DIR}/cmake/write_sql_files.cmake
  COMMENT "Embedding sql/*.sql")
