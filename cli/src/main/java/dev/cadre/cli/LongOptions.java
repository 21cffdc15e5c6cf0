package dev.cadre.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses "--name value" and "--name=value" options of the daemon commands against a known set. */
final class LongOptions {
    private final Map<String, String> values = new HashMap<>();

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** @param flags options without a value */
    LongOptions(List<String> args, Set<String> withValue, Set<String> flags) throws UsageException {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("option '--" + name + "' takes no value");
                }
                values.put(name, "true");
            } else if (withValue.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option '--" + name + "' requires a value");
                    }
                    value = args.get(++i);
                }
                values.put(name, value);
            } else {
                throw new UsageException("unknown option '--" + name + "'");
            }
        }
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    Integer integer(String name, Integer fallback, int min, int max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        return wholeNumber(name, v, min, max);
    }

    /** The value of option --name as a whole number within the bounds, or a usage error saying what is wrong. */
    static int wholeNumber(String name, String v, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, not '" + v + "'");
        }
    }
}
