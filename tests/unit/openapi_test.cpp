// Checks that the embedded OpenAPI document describes exactly the routes the router serves.
#include <algorithm>
#include <cctype>
#include <functional>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/api_keys.hpp"
#include "http/openapi_document.hpp"
#include "http/router.hpp"

namespace {

using nlohmann::json;

/// The operations of a path item; its other members (parameters, summary) are not methods.
const std::set<std::string> http_methods{"get",  "put",   "post",    "delete",
                                         "head", "patch", "options", "trace"};

const json& spec() {
  static const json doc = json::parse(traffic::http::openapi_document());
  return doc;
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

struct operation {
  std::string method; ///< upper case, as route_descriptions() spells it
  std::string path;
  const json* path_item;
  const json* op;
};

std::vector<operation> operations() {
  std::vector<operation> out;
  for (const auto& [path, item] : spec().at("paths").items())
    for (const auto& [method, op] : item.items())
      if (http_methods.count(method) > 0)
        out.push_back({upper(method), path, &item, &op});
  return out;
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

/// Calls `visit` with every "$ref" value in the document.
void for_each_ref(const json& node, const std::function<void(const std::string&)>& visit) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "$ref" && value.is_string())
        visit(value.get<std::string>());
      else
        for_each_ref(value, visit);
    }
  } else if (node.is_array()) {
    for (const auto& value : node)
      for_each_ref(value, visit);
  }
}

/// Returns the parameters that apply to an operation: the path item's and its own, resolved.
std::vector<json> parameters_of(const operation& o) {
  std::vector<json> out;
  for (const auto* holder : {o.path_item, o.op})
    if (holder->contains("parameters"))
      for (const auto& p : holder->at("parameters"))
        out.push_back(resolve(p));
  return out;
}

std::string describe(const operation& o) {
  return o.method + " " + o.path;
}

TEST(OpenApi, IsAnOpenApi303DocumentOfThisServerVersion) {
  ASSERT_TRUE(spec().is_object());
  EXPECT_EQ(spec().at("openapi"), "3.0.3");
  EXPECT_FALSE(spec().at("info").at("title").get<std::string>().empty());
  // The document is hand-written: a release must bump its version with the server's.
  EXPECT_EQ(spec().at("info").at("version"), TRAFFIC_VERSION);
}

TEST(OpenApi, DocumentsExactlyTheRoutedOperations) {
  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& route : traffic::http::route_descriptions())
    routed.emplace(route.method, route.path);
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& o : operations())
    documented.emplace(o.method, o.path);
  for (const auto& [method, path] : routed)
    EXPECT_EQ(documented.count({method, path}), 1u)
        << "routed but not documented: " << method << " " << path;
  for (const auto& [method, path] : documented)
    EXPECT_EQ(routed.count({method, path}), 1u)
        << "documented but not routed: " << method << " " << path;
}

TEST(OpenApi, RequiredScopeAndSecurityMatchTheRouter) {
  const auto schemes = spec().at("components").at("securitySchemes");
  ASSERT_EQ(schemes.at("bearerAuth").at("type"), "http");
  ASSERT_EQ(schemes.at("bearerAuth").at("scheme"), "bearer");
  const auto ops = operations();
  for (const auto& route : traffic::http::route_descriptions()) {
    auto it = std::find_if(ops.begin(), ops.end(), [&](const operation& o) {
      return o.method == route.method && o.path == route.path;
    });
    if (it == ops.end())
      continue; // reported by DocumentsExactlyTheRoutedOperations
    SCOPED_TRACE(describe(*it));
    const json& op = *it->op;
    EXPECT_EQ(op.value("x-required-scope", ""), traffic::http::scope_name(route.needed));
    ASSERT_TRUE(op.contains("security")) << "every operation states its security";
    if (route.needed == traffic::http::scope::none) {
      EXPECT_EQ(op.at("security"), json::array());
    } else {
      EXPECT_EQ(op.at("security"), json::parse(R"([{"bearerAuth":[]}])"));
      // A key can be missing (401) or lack the scope (403) on every protected route.
      EXPECT_TRUE(op.at("responses").contains("401"));
      EXPECT_TRUE(op.at("responses").contains("403"));
    }
  }
}

TEST(OpenApi, EveryReferenceResolves) {
  std::size_t refs = 0;
  for_each_ref(spec(), [&](const std::string& ref) {
    ++refs;
    ASSERT_EQ(ref.rfind("#/", 0), 0u) << "only local references: " << ref;
    EXPECT_TRUE(spec().contains(json::json_pointer{ref.substr(1)})) << "dangling " << ref;
  });
  EXPECT_GT(refs, 0u);
}

TEST(OpenApi, EveryOperationHasASuccessWithContent) {
  for (const auto& o : operations()) {
    bool documented = false;
    for (const auto& [status, response] : o.op->at("responses").items()) {
      if (status.size() != 3 || status[0] != '2')
        continue;
      const auto& r = resolve(response);
      documented =
          documented || status == "204" || (r.contains("content") && !r.at("content").empty());
    }
    EXPECT_TRUE(documented) << describe(o) << " has no 2xx response with content (or 204)";
  }
}

TEST(OpenApi, EveryErrorResponseUsesTheErrorShape) {
  for (const auto& o : operations()) {
    for (const auto& [status, response] : o.op->at("responses").items()) {
      // /health answers 503 with its own body: the degraded health report.
      if (status[0] < '4' || (o.path == "/health" && status == "503"))
        continue;
      const auto& media = resolve(response).at("content").at("application/json");
      EXPECT_EQ(media.at("schema"), json({{"$ref", "#/components/schemas/Error"}}))
          << describe(o) << " " << status;
    }
  }
}

TEST(OpenApi, EveryRequestBodyHasAnExample) {
  std::size_t bodies = 0;
  for (const auto& o : operations()) {
    if (!o.op->contains("requestBody"))
      continue;
    ++bodies;
    for (const auto& [type, media] : resolve(o.op->at("requestBody")).at("content").items()) {
      const bool has_example = media.contains("example") ||
                               (media.contains("examples") && !media.at("examples").empty());
      EXPECT_TRUE(has_example) << describe(o) << " " << type;
    }
  }
  // Ingest single, ingest batch, PUT of a run.
  EXPECT_EQ(bodies, 3u);
}

TEST(OpenApi, PathParametersMatchThePathTemplate) {
  const std::regex capture{R"(\{([^}]+)\})"};
  for (const auto& o : operations()) {
    std::set<std::string> in_template;
    for (std::sregex_iterator it{o.path.begin(), o.path.end(), capture}, end; it != end; ++it)
      in_template.insert((*it)[1]);
    std::set<std::string> declared;
    for (const auto& p : parameters_of(o)) {
      if (p.at("in") != "path")
        continue;
      declared.insert(p.at("name").get<std::string>());
      EXPECT_EQ(p.value("required", false), true) << describe(o) << " " << p.at("name");
    }
    EXPECT_EQ(declared, in_template) << describe(o);
  }
}

TEST(OpenApi, OperationIdsAreUniqueAndTagsDeclared) {
  std::set<std::string> tags;
  for (const auto& tag : spec().at("tags"))
    tags.insert(tag.at("name").get<std::string>());
  EXPECT_EQ(tags, (std::set<std::string>{"Ingest", "Analytics", "Dashboard", "Charts",
                                         "Simulations", "Admin", "Operations"}));
  std::set<std::string> ids;
  for (const auto& o : operations()) {
    EXPECT_TRUE(ids.insert(o.op->at("operationId").get<std::string>()).second)
        << "repeated operationId in " << describe(o);
    EXPECT_FALSE(o.op->at("summary").get<std::string>().empty()) << describe(o);
    EXPECT_FALSE(o.op->at("description").get<std::string>().empty()) << describe(o);
    ASSERT_TRUE(o.op->contains("tags")) << describe(o);
    for (const auto& tag : o.op->at("tags"))
      EXPECT_EQ(tags.count(tag.get<std::string>()), 1u) << describe(o) << " tag " << tag;
  }
}

} // namespace
