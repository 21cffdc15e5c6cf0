package dev.cadre.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.MessageCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

/**
 * The optional JSON body of a job action. Every field is checked for its type and against the fields the action
 * takes, so that a misspelt field is refused rather than silently ignored.
 */
final class ActionBody {
    private final ObjectNode fields;

    private ActionBody(ObjectNode fields) {
        this.fields = fields;
    }

    /** @param allowed the fields this action takes */
    static ActionBody parse(String body, String action, Set<String> allowed) throws ApiException {
        if (body == null || body.isBlank()) {
            return new ActionBody(MessageCodec.mapper().createObjectNode());
        }
        ObjectNode obj = JsonBody.object(body, "a JSON object", null);
        for (Iterator<String> names = obj.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ApiException(400, "'" + name + "' is not a field of " + action + "; it takes "
                        + allowed.stream().sorted().toList(), name);
            }
        }
        return new ActionBody(obj);
    }

    boolean has(String field) {
        return fields.hasNonNull(field);
    }

    Integer taskId() throws ApiException {
        Long task = whole("taskId", 0, ArrayIndexes.MAX_INDEX);
        return task == null ? null : task.intValue();
    }

    boolean flag(String field) throws ApiException {
        JsonNode v = present(field, JsonNode::isBoolean, "true or false");
        return v != null && v.booleanValue();
    }

    /** A whole number within the bounds, or null when absent; the bounds only keep it within its Java type. */
    Long whole(String field, long min, long max) throws ApiException {
        JsonNode v = present(field, n -> n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= min
                && n.longValue() <= max, "a whole number from " + min + " to " + max);
        return v == null ? null : v.longValue();
    }

    String text(String field) throws ApiException {
        JsonNode v = present(field, JsonNode::isTextual, "a string");
        return v == null ? null : v.textValue();
    }

    /** An array of strings, or an empty list when absent. */
    List<String> texts(String field) throws ApiException {
        JsonNode v = present(field, n -> n.isArray() && StreamSupport.stream(n.spliterator(), false)
                .allMatch(JsonNode::isTextual), "an array of strings");
        List<String> out = new ArrayList<>();
        if (v != null) {
            v.forEach(e -> out.add(e.textValue()));
        }
        return out;
    }

    /** The field's value, null when absent or null, refused when it is not of the type. */
    private JsonNode present(String field, Predicate<JsonNode> ofType, String mustBe) throws ApiException {
        JsonNode v = fields.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!ofType.test(v)) {
            throw new ApiException(400, "'" + field + "' must be " + mustBe, field);
        }
        return v;
    }
}
