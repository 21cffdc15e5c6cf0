package dev.cadre.cli.wire;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Java values to JSON text, as the REST API reads them: maps and records become objects (a record's null
 * components are left out, as the protocol's records are written), collections arrays, instants ISO-8601 text,
 * enums their names.
 */
public final class JsonWriter {
    private JsonWriter() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            out.append(quote(s));
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short) {
            out.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            out.append(n);
        } else if (v instanceof Json j) {
            out.append(j);
        } else if (v instanceof Instant || v instanceof Enum<?> || v instanceof Character) {
            out.append(quote(v instanceof Enum<?> e ? e.name() : v.toString()));
        } else if (v instanceof Map<?, ?> m) {
            object(out, m);
        } else if (v instanceof Collection<?> c) {
            array(out, c);
        } else if (v instanceof Record r) {
            record(out, r);
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }

    private static void object(StringBuilder out, Map<?, ?> m) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(quote(String.valueOf(e.getKey()))).append(':');
            append(out, e.getValue());
        }
        out.append('}');
    }

    private static void array(StringBuilder out, Collection<?> c) {
        out.append('[');
        boolean first = true;
        for (Object o : c) {
            if (!first) {
                out.append(',');
            }
            first = false;
            append(out, o);
        }
        out.append(']');
    }

    private static void record(StringBuilder out, Record r) {
        out.append('{');
        boolean first = true;
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
            }
            if (value == null) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(quote(c.getName())).append(':');
            append(out, value);
        }
        out.append('}');
    }

    /** A string as a JSON string literal. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
