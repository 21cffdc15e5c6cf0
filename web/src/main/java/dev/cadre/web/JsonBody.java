package dev.cadre.web;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RejectionCode;

/**
 * A request's body read as one JSON object, or refused with 400 saying where and what is wrong in words a client
 * can act on. Jackson's own messages name its classes and settings ("bound as `...JsonNode`", "as per
 * `DeserializationFeature...`"), which are the server's insides, not the client's mistake.
 */
final class JsonBody {
    private JsonBody() {
    }

    /**
     * @param what what the object is, for the refusal ("a JSON object with a 'spec'")
     * @param code the rejection code a refusal carries (a submission's), or null
     */
    static ObjectNode object(String body, String what, RejectionCode code) throws ApiException {
        JsonNode tree;
        try {
            tree = MessageCodec.mapper().readTree(body);
        } catch (JacksonException e) {
            throw refused("malformed JSON" + at(e.getLocation()) + ": " + reason(e), code);
        }
        if (!(tree instanceof ObjectNode obj)) {
            throw refused("the body must be " + what + ", not " + (tree == null || tree.isMissingNode() ? "empty"
                    : tree.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)), code);
        }
        return obj;
    }

    private static ApiException refused(String detail, RejectionCode code) {
        return code == null ? new ApiException(400, detail) : ApiException.rejected(code, detail, null);
    }

    private static String at(JsonLocation where) {
        return where == null || where.getLineNr() < 1 ? "" : " at line " + where.getLineNr() + ", column "
                + where.getColumnNr();
    }

    /** Jackson's reason without its class and setting names, which only the server's code knows. */
    private static String reason(JacksonException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Trailing token")) {
            return "more than one JSON value; send one";
        }
        return message.replaceAll("\\s*\\(start marker at \\[Source:[^]]*]\\)", "")
                .replaceAll("\\s*\\((?:bound as|through reference chain)[^)]*\\)", "")
                .replaceAll("`[A-Za-z_$][\\w$]*(?:\\.[\\w$]+)+`", "a value").replaceAll("\\s*\\[Source:[^]]*]", "");
    }
}
