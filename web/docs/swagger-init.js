// Starts Swagger UI on /docs over the server's own /openapi.json; nothing is fetched from elsewhere.
window.addEventListener("load", function () {
  if (typeof SwaggerUIBundle !== "function") {
    // swagger-ui-dist is installed by npm (scripts/run, scripts/test); say so instead of a blank page.
    document.getElementById("swagger-ui").innerHTML =
      '<p style="font-family:sans-serif;margin:2em">Swagger UI is not installed on this server ' +
      "(run <code>npm ci --prefix web</code>). The OpenAPI document is at " +
      '<a href="/openapi.json">/openapi.json</a>.</p>';
    return;
  }
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Keeps a pasted bearer key across reloads (in this browser's local storage only).
    persistAuthorization: true,
    displayRequestDuration: true,
    tryItOutEnabled: false,
    // The public validator would be a request to the internet.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
