package dev.cadre.cli.wire;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only JSON value as the client commands use the REST API's answers. A missing member reads as an empty
 * value rather than failing, so a field an older head does not send shows as absent. The client commands parse
 * JSON with this instead of Jackson, whose start-up alone costs more than the whole command may take.
 */
public final class Json implements Iterable<Json> {
    /** What {@link #path} returns for a member that is not there. */
    public static final Json MISSING = new Json(Kind.MISSING, null);
    static final Json NULL = new Json(Kind.NULL, null);

    enum Kind { MISSING, NULL, BOOLEAN, NUMBER, STRING, ARRAY, OBJECT }

    private final Kind kind;
    /** Boolean, Long or Double, String, List of Json, or Map of String to Json. */
    private final Object value;

    Json(Kind kind, Object value) {
        this.kind = kind;
        this.value = value;
    }

    /** @throws IllegalArgumentException naming where the text stops being JSON */
    public static Json parse(String text) {
        return new JsonReader(text).document();
    }

    /** The member, or {@link #MISSING} when this is not an object or has no such member. */
    public Json path(String field) {
        if (kind != Kind.OBJECT) {
            return MISSING;
        }
        Json v = objectValue().get(field);
        return v == null ? MISSING : v;
    }

    /**
     * A copy of this object with the member set to the number (scontrol show job A_N shows a pending record as the
     * task named); this value itself when it is not an object.
     */
    public Json with(String field, long number) {
        if (kind != Kind.OBJECT) {
            return this;
        }
        Map<String, Json> members = new LinkedHashMap<>(objectValue());
        members.put(field, new Json(Kind.NUMBER, number));
        return new Json(Kind.OBJECT, members);
    }

    /** The element, or {@link #MISSING} when this is not an array or is shorter. */
    public Json path(int index) {
        if (kind != Kind.ARRAY || index < 0 || index >= arrayValue().size()) {
            return MISSING;
        }
        return arrayValue().get(index);
    }

    /** The member as a value, or null when it is missing (a JSON null is returned as such). */
    public Json get(String field) {
        Json v = path(field);
        return v.isMissing() ? null : v;
    }

    public boolean has(String field) {
        return !path(field).isMissing();
    }

    public boolean hasNonNull(String field) {
        Json v = path(field);
        return !v.isMissing() && !v.isNull();
    }

    public boolean isMissing() {
        return kind == Kind.MISSING;
    }

    public boolean isNull() {
        return kind == Kind.NULL;
    }

    public boolean isArray() {
        return kind == Kind.ARRAY;
    }

    public boolean isObject() {
        return kind == Kind.OBJECT;
    }

    public boolean isNumber() {
        return kind == Kind.NUMBER;
    }

    public boolean isText() {
        return kind == Kind.STRING;
    }

    /** The text of a string, number or boolean; "" for anything else. */
    public String asText() {
        return switch (kind) {
            case STRING -> (String) value;
            case NUMBER, BOOLEAN -> String.valueOf(value);
            default -> "";
        };
    }

    /** Like {@link #asText()}, but the fallback for a missing or null value. */
    public String asText(String fallback) {
        return kind == Kind.MISSING || kind == Kind.NULL ? fallback : asText();
    }

    public long asLong(long fallback) {
        if (kind == Kind.NUMBER) {
            return ((Number) value).longValue();
        }
        if (kind == Kind.STRING) {
            try {
                return Long.parseLong((String) value);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    public long asLong() {
        return asLong(0);
    }

    /** A number as a double (an integer too); the fallback for anything else. */
    public double asDouble(double fallback) {
        return kind == Kind.NUMBER ? ((Number) value).doubleValue() : fallback;
    }

    public int asInt(int fallback) {
        long v = asLong(fallback);
        return v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? fallback : (int) v;
    }

    public int asInt() {
        return asInt(0);
    }

    public boolean asBoolean() {
        return asBoolean(false);
    }

    /** The boolean, or the fallback for anything that is not one. */
    public boolean asBoolean(boolean fallback) {
        return kind == Kind.BOOLEAN ? (Boolean) value : fallback;
    }

    /**
     * The text as an ISO-8601 instant, as the REST API writes them ("2026-03-10T14:00:00.123Z"); null for a missing
     * or null value. Read by hand: Instant.parse loads the whole java.time.format machinery, a good share of a
     * short command's start.
     *
     * @throws java.time.format.DateTimeParseException for text that is no instant
     */
    public Instant asInstant() {
        if (kind != Kind.STRING) {
            return null;
        }
        String s = (String) value;
        int n = s.length();
        if (n >= 20 && s.charAt(n - 1) == 'Z' && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
                && s.charAt(13) == ':' && s.charAt(16) == ':' && (n == 20 || s.charAt(19) == '.')) {
            try {
                long day = LocalDate.of(Integer.parseInt(s, 0, 4, 10), Integer.parseInt(s, 5, 7, 10),
                        Integer.parseInt(s, 8, 10, 10)).toEpochDay();
                int h = Integer.parseInt(s, 11, 13, 10);
                int m = Integer.parseInt(s, 14, 16, 10);
                int sec = Integer.parseInt(s, 17, 19, 10);
                int nanos = 0;
                if (n > 20) {
                    String fraction = s.substring(20, n - 1);
                    if (fraction.isEmpty() || fraction.length() > 9) {
                        return Instant.parse(s);
                    }
                    nanos = Integer.parseInt(fraction) * (int) Math.pow(10, 9 - fraction.length());
                }
                if (h < 24 && m < 60 && sec < 60) {
                    return Instant.ofEpochSecond(day * 86_400 + h * 3600L + m * 60L + sec, nanos);
                }
            } catch (NumberFormatException | java.time.DateTimeException e) {
                return Instant.parse(s);
            }
        }
        return Instant.parse(s);
    }

    /** Elements of an array, or members of an object. */
    public int size() {
        return switch (kind) {
            case ARRAY -> arrayValue().size();
            case OBJECT -> objectValue().size();
            default -> 0;
        };
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public Set<String> fieldNames() {
        return kind == Kind.OBJECT ? Collections.unmodifiableSet(objectValue().keySet()) : Set.of();
    }

    /** The elements of an array; nothing for any other value. */
    @Override
    public Iterator<Json> iterator() {
        return kind == Kind.ARRAY ? Collections.unmodifiableList(arrayValue()).iterator()
                : Collections.emptyIterator();
    }

    @SuppressWarnings("unchecked")
    private List<Json> arrayValue() {
        return (List<Json>) value;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Json> objectValue() {
        return (Map<String, Json>) value;
    }

    /** The value as JSON text again. */
    @Override
    public String toString() {
        return switch (kind) {
            case MISSING -> "";
            case NULL -> "null";
            case STRING -> JsonWriter.quote((String) value);
            case NUMBER, BOOLEAN -> String.valueOf(value);
            case ARRAY, OBJECT -> JsonWriter.write(value);
        };
    }
}
