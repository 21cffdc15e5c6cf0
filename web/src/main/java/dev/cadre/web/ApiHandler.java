package dev.cadre.web;

import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The REST API under /api: finds the route, checks the bearer token, and renders what the endpoint answers as
 * JSON, or its refusal as application/problem+json. Paths outside /api are left to the status page.
 */
final class ApiHandler extends Handler.Abstract {
    /** The query parameter that carries the token where a header cannot (RFC 6750, section 2.3). */
    static final String TOKEN_PARAMETER = "access_token";
    private final byte[] token;
    private final List<Route> routes;

    ApiHandler(String token, List<Route> routes) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.routes = List.copyOf(routes);
    }

    List<Route> routes() {
        return routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return false;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        try {
            Fields query = query(request);
            Route route = route(request.getMethod(), path, response);
            authorize(request, route.access(), query);
            Exchange exchange = new Exchange(request, response, callback, route.match(path).orElseThrow(), query);
            Object body = route.endpoint().answer(exchange);
            if (body != Exchange.STREAMING) {
                reply(response, callback, response.getStatus() == 0 ? 200 : response.getStatus(), body);
            }
        } catch (ApiException e) {
            if (e.retryAfterSeconds != null) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(e.retryAfterSeconds));
            }
            problem(response, callback, e.status, e.getMessage(), e.field, e.state);
        } catch (Exception e) {
            problem(response, callback, 500, "internal error: " + e, null, null);
        }
        return true;
    }

    private static Fields query(Request request) throws ApiException {
        try {
            return Request.extractQueryParameters(request);
        } catch (RuntimeException e) {
            // Jetty refuses a bad %-escape or invalid UTF-8 with its own 400 exception, which would otherwise be a 500.
            throw new ApiException(400, "the query string is not valid: each %-escape must be two hex digits and"
                    + " together they must spell UTF-8 (" + e.getMessage() + ")");
        }
    }

    /** The route of the path and method; a path with routes for other methods only is 405, naming them. */
    private Route route(String method, String path, Response response) throws ApiException {
        TreeSet<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Optional<List<String>> match = r.match(path);
            if (match.isPresent()) {
                if (r.method().equals(method)) {
                    return r;
                }
                allowed.add(r.method());
            }
        }
        if (allowed.isEmpty()) {
            throw new ApiException(404, "no such resource: " + path);
        }
        response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
        throw new ApiException(405, method + " is not allowed on " + path + "; use " + String.join(" or ", allowed));
    }

    private void authorize(Request request, Route.Access access, Fields query) throws ApiException {
        if (access == Route.Access.PUBLIC) {
            return;
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String given;
        if (header != null && header.startsWith("Bearer ")) {
            given = header.substring(7).trim();
        } else if (access == Route.Access.TOKEN_OR_QUERY && query.getValue(TOKEN_PARAMETER) != null) {
            given = query.getValue(TOKEN_PARAMETER);
        } else {
            throw new ApiException(401, "missing bearer token: send 'Authorization: Bearer <token>' (the token is"
                    + " in the client file)" + (access == Route.Access.TOKEN_OR_QUERY ? ", or ?" + TOKEN_PARAMETER
                    + "=<token> where headers cannot be set" : ""));
        }
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
            throw new ApiException(403, "wrong bearer token");
        }
    }

    private static void reply(Response response, Callback callback, int status, Object body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, MessageCodec.encodeValue(body), callback);
    }

    private static void problem(Response response, Callback callback, int status, String detail, String field,
            JobState state) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        if (status == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"cadre\"");
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", HttpStatus.getMessage(status));
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        if (state != null) {
            body.put("state", state);
        }
        Content.Sink.write(response, true, MessageCodec.encodeValue(body), callback);
    }
}
