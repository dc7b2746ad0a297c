// End-to-end checks that /openapi.json tells the truth: its examples work on a real server, the
// answers match its schemas, its scopes are enforced, and /docs serves Swagger UI.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace {

using nlohmann::json;
using traffic::tests::env_map;
using traffic::tests::header_map;
using traffic::tests::http_client;
using traffic::tests::http_response;
using traffic::tests::server_process;
using traffic::tests::test_database;

/// The repository root, from the fixture folder the build names.
const std::filesystem::path repo_root =
    std::filesystem::path{TRAFFIC_FIXTURE_DIR}.parent_path().parent_path();

/// The document as the source tree holds it; the server embeds this file at build time.
const std::string& spec_text() {
  static const std::string text = [] {
    std::ifstream in{repo_root / "http" / "openapi.json", std::ios::binary};
    std::ostringstream body;
    body << in.rdbuf();
    return body.str();
  }();
  return text;
}

const json& spec() {
  static const json doc = json::parse(spec_text());
  return doc;
}

/// Returns what `node` stands for: itself, or the target of its "$ref" (followed to the end).
const json& resolve(const json& node) {
  const json* at = &node;
  for (int hops = 0; at->is_object() && at->contains("$ref") && hops < 16; ++hops) {
    const auto target = at->at("$ref").get<std::string>();
    at = &spec().at(json::json_pointer{target.substr(1)});
  }
  return *at;
}

// A checker for the part of JSON Schema the document uses. It is stricter than JSON Schema in
// one way on purpose: an object member the schema does not list is a problem unless the schema
// says additionalProperties, so every field the server sends must be documented.

bool has_type(const json& value, const std::string& type) {
  if (type == "object")
    return value.is_object();
  if (type == "array")
    return value.is_array();
  if (type == "string")
    return value.is_string();
  if (type == "integer")
    return value.is_number_integer();
  if (type == "number")
    return value.is_number();
  if (type == "boolean")
    return value.is_boolean();
  return false;
}

/// Appends to `problems` each way `value` breaks `schema`; `where` is the value's JSON path.
void check_schema(const json& schema_node, const json& value, const std::string& where,
                  std::vector<std::string>& problems) {
  const json& schema = resolve(schema_node);
  auto fail = [&](const std::string& what) {
    problems.push_back(where + ": " + what + " (got " + value.dump().substr(0, 120) + ")");
  };
  if (value.is_null()) {
    if (!schema.value("nullable", false))
      fail("null where the schema does not say nullable");
    return;
  }
  if (schema.contains("allOf"))
    for (const auto& part : schema.at("allOf"))
      check_schema(part, value, where, problems);
  if (schema.contains("type") && !has_type(value, schema.at("type").get<std::string>()))
    return fail("not of type " + schema.at("type").get<std::string>());
  if (schema.contains("enum") && std::find(schema.at("enum").begin(), schema.at("enum").end(),
                                           value) == schema.at("enum").end())
    fail("not one of " + schema.at("enum").dump());
  if (value.is_number()) {
    if (schema.contains("minimum") && value.get<double>() < schema.at("minimum").get<double>())
      fail("below the minimum");
    if (schema.contains("maximum") && value.get<double>() > schema.at("maximum").get<double>())
      fail("above the maximum");
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (schema.contains("pattern") &&
        !std::regex_search(text, std::regex{schema.at("pattern").get<std::string>()}))
      fail("does not match " + schema.at("pattern").get<std::string>());
    if (schema.contains("minLength") && text.size() < schema.at("minLength").get<std::size_t>())
      fail("shorter than minLength");
    static const std::regex rfc3339{R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$)"};
    if (schema.value("format", "") == "date-time" && !std::regex_match(text, rfc3339))
      fail("not an RFC 3339 date-time");
  }
  if (value.is_array()) {
    if (schema.contains("minItems") && value.size() < schema.at("minItems").get<std::size_t>())
      fail("fewer items than minItems");
    if (schema.contains("maxItems") && value.size() > schema.at("maxItems").get<std::size_t>())
      fail("more items than maxItems");
    if (schema.contains("items"))
      for (std::size_t i = 0; i < value.size(); ++i)
        check_schema(schema.at("items"), value[i], where + "[" + std::to_string(i) + "]", problems);
  }
  if (value.is_object()) {
    static const json no_properties = json::object();
    const json& properties =
        schema.contains("properties") ? schema.at("properties") : no_properties;
    for (const auto& name : schema.value("required", json::array()))
      if (!value.contains(name.get<std::string>()))
        fail("lacks required member " + name.get<std::string>());
    const json extra = schema.value("additionalProperties", json(false));
    for (const auto& [name, member] : value.items()) {
      const auto path = where + "." + name;
      if (properties.contains(name))
        check_schema(properties.at(name), member, path, problems);
      else if (extra.is_object())
        check_schema(extra, member, path, problems);
      else if (extra == false && !schema.contains("allOf"))
        problems.push_back(path + ": member not in the schema");
    }
  }
}

/// Returns every problem of `value` against `schema`, one per line ("" when it conforms).
std::string schema_problems(const json& schema, const json& value) {
  std::vector<std::string> problems;
  check_schema(schema, value, "$", problems);
  std::string out;
  for (const auto& p : problems)
    out += p + "\n";
  return out;
}

/// Returns the examples of a media type or parameter object: "example", or each "examples"
/// value, by name.
std::vector<std::pair<std::string, json>> examples_of(const json& holder) {
  std::vector<std::pair<std::string, json>> out;
  if (holder.contains("example"))
    out.emplace_back("example", holder.at("example"));
  if (holder.contains("examples"))
    for (const auto& [name, example] : holder.at("examples").items())
      out.emplace_back(name, resolve(example).at("value"));
  return out;
}

struct operation {
  std::string method; ///< upper case
  std::string path;
  const json* path_item;
  const json* op;
};

/// Returns every operation, in the order the test runs them: ingest first (the rest reads its
/// data), then changes of runs, reads, other POSTs (clear-cache), and the DELETE last.
std::vector<operation> operations_in_run_order() {
  std::vector<operation> out;
  for (const auto& [path, item] : spec().at("paths").items())
    for (const auto& [method, op] : item.items())
      if (method == "get" || method == "put" || method == "post" || method == "delete") {
        std::string upper = method;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        out.push_back({upper, path, &item, &op});
      }
  auto phase = [](const operation& o) {
    if (o.method == "POST" && o.op->value("x-required-scope", "") == "ingest")
      return 0;
    if (o.method == "PUT")
      return 1;
    if (o.method == "GET")
      return 2;
    return o.method == "POST" ? 3 : 4;
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const operation& a, const operation& b) { return phase(a) < phase(b); });
  return out;
}

/// Returns the parameters of an operation (the path item's and its own), resolved.
std::vector<json> parameters_of(const operation& o) {
  std::vector<json> out;
  for (const auto* holder : {o.path_item, o.op})
    if (holder->contains("parameters"))
      for (const auto& p : holder->at("parameters"))
        out.push_back(resolve(p));
  return out;
}

std::string percent_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char escape[4];
      std::snprintf(escape, sizeof escape, "%%%02X", c);
      out += escape;
    }
  }
  return out;
}

/// Returns a parameter example as query or path text: arrays comma-separated.
std::string parameter_text(const json& example) {
  if (example.is_string())
    return example.get<std::string>();
  if (example.is_array()) {
    std::string joined;
    for (const auto& item : example)
      joined += (joined.empty() ? "" : ",") + parameter_text(item);
    return joined;
  }
  return example.dump();
}

/// The simulation of the single-snapshot example: the {simulation_id} of every path.
std::string example_simulation_id() {
  const auto& media = spec()["paths"]["/api/v1/ingest/simulation"]["post"]["requestBody"]["content"]
                            ["application/json"];
  return examples_of(media).front().second.at("simulation_id").get<std::string>();
}

/// Returns the request target of an operation: path parameters filled in (simulation_id with
/// the ingested run, others with their example) and every query parameter example appended.
std::string target_of(const operation& o) {
  std::string target = o.path;
  std::string query;
  for (const auto& p : parameters_of(o)) {
    const std::string name = p.at("name");
    if (p.at("in") == "path") {
      const auto value =
          name == "simulation_id" ? example_simulation_id() : parameter_text(p.at("example"));
      auto at = target.find("{" + name + "}");
      target.replace(at, name.size() + 2, percent_encode(value));
    } else if (p.at("in") == "query" && p.contains("example")) {
      query += (query.empty() ? "?" : "&") + name + "=" +
               percent_encode(parameter_text(p.at("example")));
    }
  }
  return target + query;
}

/// Returns true when every path parameter but {simulation_id} has an example to fill it with.
bool path_examples_given(const operation& o) {
  for (const auto& p : parameters_of(o))
    if (p.at("in") == "path" && p.at("name") != "simulation_id" && !p.contains("example"))
      return false;
  return true;
}

/// Returns true for an operation that sends files from WEB_DIR: its 404 is "no such file".
bool serves_files(const operation& o) {
  const auto& responses = o.op->at("responses");
  return responses.contains("404") &&
         responses.at("404") == json{{"$ref", "#/components/responses/StaticNotFound"}};
}

bool web_packages_installed() {
  return std::filesystem::is_directory(repo_root / "web" / "node_modules" / "swagger-ui-dist");
}

/// Returns true when the operation answers with a Server-Sent Events stream, which never ends
/// by itself: the generic loop cannot read it whole.
bool is_stream(const operation& o) {
  return resolve(o.op->at("responses").at("200")).at("content").contains("text/event-stream");
}

/// Sends `request` on a fresh connection to 127.0.0.1:`port` and returns what arrives until the
/// text holds `marker` followed by a blank line ("\n\n"), the end of the connection, or
/// `patience`; then closes the connection.
std::string read_stream(std::uint16_t port, const std::string& request, const std::string& marker,
                        std::chrono::milliseconds patience = std::chrono::seconds{10}) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return {};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string received;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
      auto at = received.find(marker);
      if (at != std::string::npos && received.find("\n\n", at) != std::string::npos)
        break;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd ready{fd, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0)
        break;
      char buffer[4096];
      const auto n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0)
        break;
      received.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return received;
}

const std::string admin_token = "openapi-test-admin-token-0123";
const std::string reader_token = "openapi-test-reader-token-0123";
const std::string feeder_token = "openapi-test-feeder-token-0123";

/// A server that requires keys (AUTH_REQUIRED), with one key per scope, on a fresh database.
class OpenApiServer : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<server_process>(
        db_.url(),
        env_map{{"AUTH_REQUIRED", "true"},
                {"ADMIN_TOKEN", admin_token},
                {"API_KEYS", "reader:read:" + reader_token + ",feeder:ingest:" + feeder_token}});
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
    client_ = std::make_unique<http_client>(server_->port());
  }

  /// Returns the Authorization header of the key holding `scope` ("" for none: no header).
  static header_map key_for(const std::string& scope) {
    if (scope == "ingest")
      return {{"Authorization", "Bearer " + feeder_token}};
    if (scope == "read")
      return {{"Authorization", "Bearer " + reader_token}};
    if (scope == "admin")
      return {{"Authorization", "Bearer " + admin_token}};
    return {};
  }

  /// Returns the Authorization header of a valid key that lacks `scope`.
  static header_map key_without(const std::string& scope) {
    return key_for(scope == "read" ? "ingest" : "read");
  }

  /// Checks an answer against the operation's documented response for its status: documented,
  /// media type as listed, JSON body conforming to the schema, documented headers present.
  void expect_documented(const operation& o, const http_response& r) {
    const auto& responses = o.op->at("responses");
    const auto status = std::to_string(r.status);
    ASSERT_TRUE(responses.contains(status)) << "undocumented status " << status << ": " << r.body;
    const auto& documented = resolve(responses.at(status));
    const json headers = documented.value("headers", json::object());
    for (const auto& [name, header] : headers.items())
      EXPECT_TRUE(r.has_header(name)) << "documented header " << name << " missing";
    const auto type = r.header("Content-Type");
    bool listed = false;
    for (const auto& [media, content] : documented.at("content").items()) {
      if (type.rfind(media, 0) != 0)
        continue;
      listed = true;
      if (media == "application/json" && content.contains("schema")) {
        EXPECT_EQ(schema_problems(content.at("schema"), r.json()), "") << r.body.substr(0, 2000);
      }
    }
    EXPECT_TRUE(listed) << "Content-Type " << type << " is not documented for " << status;
  }

  test_database db_;
  std::unique_ptr<server_process> server_;
  std::unique_ptr<http_client> client_;
};

TEST_F(OpenApiServer, ServesTheEmbeddedDocument) {
  auto r = client_->get("/openapi.json");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("Content-Type").rfind("application/json", 0), 0u) << r.header("Content-Type");
  // Compared as a flag: a failure should not print the whole document twice.
  EXPECT_TRUE(r.body == spec_text())
      << "the server embeds http/openapi.json at build time: rebuild it (served " << r.body.size()
      << " bytes, the file has " << spec_text().size() << ")";
}

TEST_F(OpenApiServer, EveryOperationAnswersItsExamplesAsDocumented) {
  std::size_t requests = 0;
  for (const auto& o : operations_in_run_order()) {
    SCOPED_TRACE(o.method + " " + o.path);
    if (is_stream(o))
      continue; // StreamSendsLiveEventsAsDocumented reads it
    if (!path_examples_given(o)) {
      // Only a file path may leave its name open (the files are another project's choice).
      EXPECT_TRUE(serves_files(o)) << "a path parameter has no example";
      continue;
    }
    const auto target = target_of(o);
    const auto headers = key_for(o.op->value("x-required-scope", ""));
    if (!o.op->contains("requestBody")) {
      SCOPED_TRACE(target);
      auto r = client_->request(o.method, target, "", "", headers);
      ++requests;
      // A page whose files are not installed answers its documented 404; the docs tests below
      // insist on the docs page.
      if (!(serves_files(o) && r.status == 404)) {
        EXPECT_GE(r.status, 200u) << r.body;
        EXPECT_LT(r.status, 300u) << r.body;
      }
      expect_documented(o, r);
      continue;
    }
    for (const auto& [type, media] : resolve(o.op->at("requestBody")).at("content").items()) {
      for (const auto& [name, example] : examples_of(media)) {
        SCOPED_TRACE(target + " " + type + " example " + name);
        const auto body = example.is_string() ? example.get<std::string>() : example.dump();
        auto r = client_->request(o.method, target, body, type, headers);
        ++requests;
        EXPECT_GE(r.status, 200u) << r.body;
        EXPECT_LT(r.status, 300u) << r.body;
        expect_documented(o, r);
      }
    }
  }
  // At least the 20 API operations (less the event stream), with ingest batch twice (JSON and
  // NDJSON) and PUT twice, plus /openapi.json and the docs files.
  EXPECT_GE(requests, 25u);
}

TEST_F(OpenApiServer, EveryProtectedOperationRefusesAMissingKeyOrScope) {
  std::size_t checked = 0;
  for (const auto& o : operations_in_run_order()) {
    const auto scope = o.op->value("x-required-scope", "");
    if (scope == "none")
      continue;
    SCOPED_TRACE(o.method + " " + o.path + " needs " + scope);
    const auto target = target_of(o);
    // The key is checked before the body is read: any body will do.
    const bool has_body = o.op->contains("requestBody");
    const std::string body = has_body ? "{}" : "";
    const std::string type = has_body ? "application/json" : "";
    auto missing = client_->request(o.method, target, body, type, {});
    EXPECT_EQ(missing.status, 401u) << missing.body;
    expect_documented(o, missing);
    auto wrong = client_->request(o.method, target, body, type, key_without(scope));
    EXPECT_EQ(wrong.status, 403u) << wrong.body;
    expect_documented(o, wrong);
    ++checked;
  }
  // 14 read, 3 ingest and 2 admin operations.
  EXPECT_EQ(checked, 19u);
}

TEST_F(OpenApiServer, StreamSendsLiveEventsAsDocumented) {
  std::vector<operation> streams;
  for (const auto& o : operations_in_run_order())
    if (is_stream(o))
      streams.push_back(o);
  if (streams.empty())
    GTEST_SKIP() << "the document describes no event stream";
  for (const auto& o : streams) {
    SCOPED_TRACE(o.path);
    const auto key = key_for(o.op->value("x-required-scope", ""));
    std::string request = "GET " + target_of(o) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [name, value] : key)
      request += name + ": " + value + "\r\n";
    request += "Accept: text/event-stream\r\n\r\n";
    const auto text = read_stream(server_->port(), request, "event: live\ndata: ");
    const auto head_end = text.find("\r\n\r\n");
    ASSERT_NE(head_end, std::string::npos) << text;
    const auto head = text.substr(0, head_end);
    EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
    EXPECT_NE(head.find("Content-Type: text/event-stream"), std::string::npos) << head;
    const auto documented = resolve(o.op->at("responses").at("200")).at("headers");
    for (const auto& [name, header] : documented.items())
      EXPECT_NE(head.find("\r\n" + name + ": "), std::string::npos) << name << " in " << head;
    const auto body = text.substr(head_end + 4);
    EXPECT_EQ(body.rfind("retry: 2000\n\n", 0), 0u) << body;
    const std::string data = "event: live\ndata: ";
    const auto at = body.find(data);
    ASSERT_NE(at, std::string::npos) << body;
    const auto line =
        body.substr(at + data.size(), body.find('\n', at + data.size()) - at - data.size());
    EXPECT_EQ(
        schema_problems(json{{"$ref", "#/components/schemas/LiveMetrics"}}, json::parse(line)), "")
        << line;
  }
}

TEST_F(OpenApiServer, DocsPageLoadsSwaggerUiFromThisServer) {
  auto page = client_->get("/docs");
  ASSERT_EQ(page.status, 200u) << page.body;
  EXPECT_EQ(page.header("Content-Type").rfind("text/html", 0), 0u);
  EXPECT_NE(page.body.find("swagger-ui"), std::string::npos);
  EXPECT_NE(page.body.find("/docs/swagger-ui.css"), std::string::npos);
  EXPECT_NE(page.body.find("/docs/swagger-ui-bundle.js"), std::string::npos);
  // No script or style from another host: the page must work offline.
  EXPECT_EQ(page.body.find("http://"), std::string::npos);
  EXPECT_EQ(page.body.find("https://"), std::string::npos);

  auto init = client_->get("/docs/swagger-init.js");
  ASSERT_EQ(init.status, 200u) << init.body;
  EXPECT_EQ(init.header("Content-Type").rfind("text/javascript", 0), 0u);
  EXPECT_NE(init.body.find("\"/openapi.json\""), std::string::npos);
  EXPECT_NE(init.body.find("persistAuthorization: true"), std::string::npos);
}

TEST_F(OpenApiServer, ServesSwaggerUiWhenInstalled) {
  if (!web_packages_installed())
    GTEST_SKIP() << "web/node_modules is missing: scripts/test installs it with npm";
  auto bundle = client_->get("/docs/swagger-ui-bundle.js");
  ASSERT_EQ(bundle.status, 200u) << bundle.body.substr(0, 500);
  EXPECT_EQ(bundle.header("Content-Type").rfind("text/javascript", 0), 0u);
  EXPECT_NE(bundle.body.find("SwaggerUIBundle"), std::string::npos);
  auto css = client_->get("/docs/swagger-ui.css");
  EXPECT_EQ(css.status, 200u);
  EXPECT_EQ(css.header("Content-Type").rfind("text/css", 0), 0u);
}

/// Calls `visit` with every object of the document that holds a schema and examples (media
/// types and parameters), and the JSON path to it.
void for_each_example_holder(const json& node, const std::string& where,
                             const std::function<void(const json&, const std::string&)>& visit) {
  if (node.is_object()) {
    if (node.contains("schema") && (node.contains("example") || node.contains("examples")))
      visit(node, where);
    for (const auto& [key, value] : node.items())
      for_each_example_holder(value, where + "/" + key, visit);
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      for_each_example_holder(node[i], where + "/" + std::to_string(i), visit);
  }
}

TEST(OpenApiExamples, ConformToTheirSchemas) {
  std::size_t examples = 0;
  for_each_example_holder(spec(), "#", [&](const json& holder, const std::string& where) {
    for (const auto& [name, example] : examples_of(holder)) {
      ++examples;
      EXPECT_EQ(schema_problems(holder.at("schema"), example), "") << where << " " << name;
    }
  });
  EXPECT_GT(examples, 40u);
  // The NDJSON example is text to the schema: check each of its lines as a snapshot.
  const auto& ndjson = spec()["paths"]["/api/v1/ingest/batch"]["post"]["requestBody"]["content"]
                             ["application/x-ndjson"];
  std::istringstream lines{examples_of(ndjson).front().second.get<std::string>()};
  std::size_t snapshots = 0;
  for (std::string line; std::getline(lines, line); ++snapshots)
    EXPECT_EQ(schema_problems(json{{"$ref", "#/components/schemas/Snapshot"}}, json::parse(line)),
              "");
  EXPECT_EQ(snapshots, 2u);
}

} // namespace
