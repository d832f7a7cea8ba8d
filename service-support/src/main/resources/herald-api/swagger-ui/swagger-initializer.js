// Herald's Swagger UI (development only): this service's own document, served beside it.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '../v3/api-docs',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
};
