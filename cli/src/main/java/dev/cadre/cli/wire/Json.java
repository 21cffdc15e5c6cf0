package dev.cadre.cli.wire;

import java.util.Collections;
import java.util.Iterator;
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
