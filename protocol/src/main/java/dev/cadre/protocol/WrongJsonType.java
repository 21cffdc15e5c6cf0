package dev.cadre.protocol;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A field of readable JSON that does not fit its message, named as the validators name fields ("spec.tasks: expected
 * an integer, got a string"): what stands there in JSON's words, never the Java type it would have become.
 */
final class WrongJsonType {
    private WrongJsonType() {
    }

    /** The dotted path of the field a mapping failure is about ("spec.args[0]"), or "" for the message itself. */
    static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    static String reason(String path, MismatchedInputException e, JsonNode message) {
        String expected = e.getTargetType() == null ? "another kind of value" : expected(e.getTargetType());
        return reason(path, expected, got(at(message, e), e instanceof InvalidFormatException));
    }

    static String reason(String path, String expected, String got) {
        return path + ": expected " + expected + ", got " + got;
    }

    /** A number too large for its field: Jackson's reason names the Java type, this one the range. */
    static String outOfRange(String path, InputCoercionException e, JsonMappingException mapping, JsonNode message) {
        JsonNode value = at(message, mapping);
        boolean isLong = e.getTargetType() == Long.class || e.getTargetType() == long.class;
        return path + ": is " + (value == null ? "a number" : value.asText()) + ", outside the integers this field"
                + " holds (" + (isLong ? Long.MIN_VALUE + " to " + Long.MAX_VALUE
                        : Integer.MIN_VALUE + " to " + Integer.MAX_VALUE) + ")";
    }

    /** The value the failure's path leads to in the message as read, or null when it leads nowhere (missing). */
    private static JsonNode at(JsonNode message, JsonMappingException e) {
        JsonNode node = message;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (node == null) {
                return null;
            }
            node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
        }
        return node;
    }

    /** What stands there; a text is quoted only where its content was the problem (an enum's or a time's). */
    static String got(JsonNode value, boolean showText) {
        if (value == null || value.isMissingNode()) {
            return "nothing (the field is missing)";
        }
        if (value.isTextual()) {
            return showText ? "\"" + MalformedJson.printable(value.textValue()) + "\"" : "a string";
        }
        if (value.isIntegralNumber()) {
            return "an integer";
        }
        if (value.isNumber()) {
            return "a number with a fraction or exponent";
        }
        if (value.isBoolean()) {
            return String.valueOf(value.booleanValue());
        }
        if (value.isNull()) {
            return "null";
        }
        return value.isArray() ? "an array" : "an object";
    }

    static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == Instant.class) {
            return "an ISO-8601 time such as \"2026-11-21T10:00:00Z\"";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        // Records, maps and the message interfaces alike: what a Java type it becomes is the receiver's business.
        return Map.class.isAssignableFrom(type) || type.isRecord() || type.isInterface() ? "an object"
                : "another kind of value";
    }
}
