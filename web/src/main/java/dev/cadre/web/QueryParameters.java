package dev.cadre.web;

import java.util.Set;
import org.eclipse.jetty.util.Fields;

/** Checks of an API request's query parameters that every endpoint makes the same way, with the same 400s. */
final class QueryParameters {
    private QueryParameters() {
    }

    /** @param value the parameter's text, not null */
    static long number(String field, String value) throws ApiException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "'" + field + "' must be a whole number, not '" + value + "'", field);
        }
    }

    /** A whole number from min to max; @param value the parameter's text, or null to take fallback */
    static long bounded(String value, String name, long min, long max, long fallback) throws ApiException {
        long n = value == null ? fallback : number(name, value);
        if (n < min || n > max) {
            throw new ApiException(400, "'" + name + "' must be between " + min + " and " + max, name);
        }
        return n;
    }

    /**
     * Refuses the first query parameter that is not one of the known ones, naming it.
     *
     * @param takes what the endpoint takes, as the refusal says it after "; "
     */
    static void refuseUnknown(Fields q, Set<String> known, String takes) throws ApiException {
        for (String name : q.getNames()) {
            if (!known.contains(name)) {
                throw new ApiException(400, "unknown query parameter '" + name + "'; " + takes, name);
            }
        }
    }
}
