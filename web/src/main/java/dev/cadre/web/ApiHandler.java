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
 * The REST API under /api, and /metrics: finds the route, checks the bearer token, and renders what the endpoint
 * answers as JSON, or its refusal as application/problem+json. Other paths are left to the status page.
 */
final class ApiHandler extends Handler.Abstract {
    /** The query parameter that carries the token where a header cannot (RFC 6750, section 2.3). */
    static final String TOKEN_PARAMETER = "access_token";
    /** The scheme of the Authorization header, matched in any case (RFC 7235, 2.1). */
    private static final String BEARER = "Bearer ";
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
        if (!path.equals("/api") && !path.startsWith("/api/") && !path.equals("/metrics")) {
            return false;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        try {
            Fields query = query(request);
            refusePathParameters(request);
            Route route = route(request.getMethod(), path, response);
            authorize(request, route.access(), query);
            refuseQuery(request, route, query);
            Exchange exchange = new Exchange(request, response, callback, route.match(path).orElseThrow(), query);
            Object body = route.endpoint().answer(exchange);
            if (body != Exchange.STREAMING) {
                reply(response, callback, response.getStatus() == 0 ? 200 : response.getStatus(), body);
            }
        } catch (ApiException e) {
            closeIfBodyLeft(request, response);
            if (e.retryAfterSeconds != null) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(e.retryAfterSeconds));
            }
            problem(response, callback, e.status, e.getMessage(), e.field, e.state, e.code);
        } catch (Exception e) {
            closeIfBodyLeft(request, response);
            problem(response, callback, 500, InternalErrors.report(request.getMethod() + " " + path, e).getMessage(),
                    null, null);
        }
        return true;
    }

    /**
     * A refusal may come before the body was read (a wrong token, an unknown route). Jetty then closes the
     * connection once the answer is sent, when the rest of the body has not arrived yet, without saying so; a client
     * that keeps connections alive sent its next request into the closed socket (a broken pipe). Said here, the
     * client opens a new connection instead.
     */
    private static void closeIfBodyLeft(Request request, Response response) {
        if (request.getLength() != 0 && !response.isCommitted()) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
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

    /**
     * Jetty drops a segment's ";parameters" from the path it matches, so "/api/services/mix;x" would reach the
     * service "mix": refused as a part of the path that would otherwise be ignored.
     */
    private static void refusePathParameters(Request request) throws ApiException {
        String raw = request.getHttpURI().getPath();
        if (raw != null && raw.indexOf(';') >= 0) {
            throw new ApiException(400, "paths under /api take no ';' parameters; encode a ';' that is part of a"
                    + " name as %3B");
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
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            given = header.substring(BEARER.length()).trim();
        } else if (access == Route.Access.TOKEN_OR_QUERY && query.getValue(TOKEN_PARAMETER) != null) {
            given = query.getValue(TOKEN_PARAMETER);
        } else {
            String alternative = access == Route.Access.TOKEN_OR_QUERY ? ", or ?" + TOKEN_PARAMETER + "=<token> where"
                    + " headers cannot be set" : query.getValue(TOKEN_PARAMETER) == null ? ""
                    : "; this route does not take ?" + TOKEN_PARAMETER + "=";
            throw new ApiException(401, "missing bearer token: send 'Authorization: Bearer <token>' (the token is"
                    + " in the client file)" + alternative);
        }
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
            throw new ApiException(403, "wrong bearer token");
        }
    }

    /**
     * Refuses a query the route does not take. A token in a URL is refused outright where a header can carry it:
     * URLs end up in logs, histories and Referer headers.
     */
    private static void refuseQuery(Request request, Route route, Fields query) throws ApiException {
        if (route.access() != Route.Access.TOKEN_OR_QUERY && query.getValue(TOKEN_PARAMETER) != null) {
            throw new ApiException(400, "'" + TOKEN_PARAMETER + "' is taken only by the event streams (GET"
                    + " /api/events, GET /api/jobs/ID/output?follow=true); send the token as 'Authorization: Bearer"
                    + " <token>'", TOKEN_PARAMETER);
        }
        route.query().check(request, query);
        if (query.getValue(TOKEN_PARAMETER) != null && request.getHeaders().get(HttpHeader.AUTHORIZATION) != null) {
            // Only the header's is checked: a second token would be ignored, right or wrong.
            throw new ApiException(400, "the token is given twice, in the Authorization header and as '"
                    + TOKEN_PARAMETER + "'; give it once", TOKEN_PARAMETER);
        }
    }

    private static void reply(Response response, Callback callback, int status, Object body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, MessageCodec.encodeValue(body), callback);
    }

    static void problem(Response response, Callback callback, int status, String detail, String field,
            JobState state) {
        problem(response, callback, status, detail, field, state, null);
    }

    private static void problem(Response response, Callback callback, int status, String detail, String field,
            JobState state, String code) {
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
        if (code != null) {
            body.put("code", code);
        }
        Content.Sink.write(response, true, MessageCodec.encodeValue(body), callback);
    }
}
