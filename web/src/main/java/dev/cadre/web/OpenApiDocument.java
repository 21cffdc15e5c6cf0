package dev.cadre.web;

import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;

/**
 * GET /api/openapi.json: the API described in OpenAPI 3.1, without a token. The file is docs/openapi.json, put
 * into the jar by the build, so what is served and what is kept in docs/ are one file.
 */
final class OpenApiDocument {
    static final String RESOURCE = "openapi.json";
    private final StaticFiles.File file = StaticFiles.load(RESOURCE);

    List<Route> routes() {
        return List.of(Route.of("GET", "/api/openapi.json", Map.of(), Route.Access.PUBLIC, this::serve));
    }

    private Object serve(Exchange x) {
        x.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        x.response().getHeaders().put(HttpHeader.ETAG, file.etag());
        if (file.matches(x.request())) {
            x.response().setStatus(304);
            x.callback().succeeded();
            return Exchange.STREAMING;
        }
        x.response().setStatus(200);
        x.response().getHeaders().put(HttpHeader.CONTENT_TYPE, file.contentType());
        x.response().write(true, file.buffer(), x.callback());
        return Exchange.STREAMING;
    }
}
