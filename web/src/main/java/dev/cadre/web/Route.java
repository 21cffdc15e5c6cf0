package dev.cadre.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * One operation of the REST API: a method and a path template as the OpenAPI document names it
 * ("/api/jobs/{id}/output"), each parameter matched by the pattern given for it.
 *
 * @param access how a request proves it may use the route
 * @param query what the route takes in its query string: none unless {@link #taking} says so
 */
record Route(String method, String template, Pattern pattern, Access access, QueryRule query, Endpoint endpoint) {

    enum Access {
        /** The bearer token in the Authorization header. */
        TOKEN,
        /**
         * The token in the header, or as the query parameter access_token: for event streams, which a browser's
         * EventSource opens without a way to set headers.
         */
        TOKEN_OR_QUERY,
        /** Anyone: the OpenAPI document. */
        PUBLIC
    }

    /** Answers one request; see {@link Exchange#STREAMING} for answers that are not a JSON body. */
    @FunctionalInterface
    interface Endpoint {
        Object answer(Exchange exchange) throws Exception;
    }

    /** Refuses a query string the route does not take, before its endpoint runs, so nothing is ignored. */
    @FunctionalInterface
    interface QueryRule {
        /** @param query as parsed: each name with every value it was given */
        void check(Request request, Fields query) throws ApiException;
    }

    /** A route taking the token in the header, without path parameters. */
    static Route of(String method, String template, Endpoint endpoint) {
        return of(method, template, Map.of(), Access.TOKEN, endpoint);
    }

    /** @param parameters the pattern of each {name} of the template */
    static Route of(String method, String template, Map<String, String> parameters, Access access,
            Endpoint endpoint) {
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            String syntax = parameters.get(m.group(1));
            if (syntax == null) {
                throw new IllegalArgumentException(template + ": no pattern for {" + m.group(1) + "}");
            }
            regex.append('(').append(syntax).append(')');
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        // No query parameters (but the token where the access allows it) until taking() names some.
        return new Route(method, template, Pattern.compile(regex.toString()), access, null, endpoint).taking();
    }

    /** This route taking these query parameters, each at most once, and the token too where its access says so. */
    Route taking(String... names) {
        Set<String> taken = new java.util.HashSet<>(Set.of(names));
        if (access == Access.TOKEN_OR_QUERY) {
            taken.add(ApiHandler.TOKEN_PARAMETER);
        }
        return withQuery(QueryParameters.only(taken));
    }

    Route withQuery(QueryRule rule) {
        return new Route(method, template, pattern, access, rule, endpoint);
    }

    /** The path's parameters, in the template's order, when the path is this route's. */
    Optional<List<String>> match(String path) {
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> values = new java.util.ArrayList<>(m.groupCount());
        for (int i = 1; i <= m.groupCount(); i++) {
            values.add(m.group(i));
        }
        return Optional.of(values);
    }
}
