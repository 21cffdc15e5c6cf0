package dev.cadre.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;

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

    /** An ISO-8601 instant that SQLite's epoch milliseconds can hold; @param value the parameter's text, not null */
    static Instant instant(String name, String value) throws ApiException {
        try {
            Instant at = Instant.parse(value);
            // Instant reaches years JDBC's epoch milliseconds cannot hold; those would overflow in the query.
            at.toEpochMilli();
            return at;
        } catch (ArithmeticException e) {
            throw new ApiException(400, "'" + name + "' is out of range: '" + value + "'; give an instant between the"
                    + " years -292275055 and 292278994", name);
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "'" + name + "' must be an ISO-8601 instant such as 2026-11-21T10:00:00Z,"
                    + " not '" + value + "'", name);
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
     * A route's rule that refuses any parameter but these, naming it, and any of them given more than once (which
     * value was meant cannot be known, and taking the first would silently drop the other).
     */
    static Route.QueryRule only(Set<String> names) {
        Set<String> taken = Set.copyOf(names);
        String takes = taken.isEmpty() ? "this takes no query parameters"
                : "this takes " + String.join(", ", new TreeSet<>(taken));
        return (request, query) -> {
            for (String name : query.getNames()) {
                if (!taken.contains(name)) {
                    throw new ApiException(400, "unknown query parameter '" + name + "'; " + takes, name);
                }
                int times = query.getValues(name).size();
                if (times > 1) {
                    throw new ApiException(400, "'" + name + "' is given " + times + " times; give it once", name);
                }
            }
        };
    }
}
