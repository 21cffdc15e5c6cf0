package dev.cadre.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The status page at /: plain HTML, CSS and JavaScript from the jar, no build step. It holds no data and needs no
 * token; it asks for the token and uses the REST API and its event stream. The policy headers keep it from
 * running any script but its own and from being framed by another site.
 */
final class StatusPage extends Handler.Abstract {
    static final String[] FILES = {"index.html", "app.js", "live.js", "views.js", "job.js", "output.js",
            "usage.js", "services.js", "failures.js", "chart.js", "style.css", "icon.svg"};
    private final Map<String, StaticFiles.File> files = new LinkedHashMap<>();

    StatusPage() {
        for (String name : FILES) {
            files.put("/" + name, StaticFiles.load("status/" + name));
        }
        files.put("/", files.get("/index.html"));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        StaticFiles.File file = files.get(Request.getPathInContext(request));
        if (file == null) {
            return false;
        }
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, 405);
            return true;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.ETAG, file.etag());
        response.getHeaders().put("Content-Security-Policy", "default-src 'self'; img-src 'self' data:;"
                + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        if (file.matches(request)) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.bytes().length);
        response.write(true, request.getMethod().equals("HEAD") ? org.eclipse.jetty.util.BufferUtil.EMPTY_BUFFER
                : file.buffer(), callback);
        return true;
    }
}
