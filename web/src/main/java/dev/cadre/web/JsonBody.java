package dev.cadre.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;

/**
 * A request's body read as one JSON object, or refused with 400 saying where and what is wrong in the words the
 * message protocol uses for a malformed body ("malformed JSON at line L, column C: ...", by MalformedJson), so a
 * client reads the same refusal whichever way it sent the JSON.
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
            tree = MessageCodec.readTree(body);
        } catch (ProtocolException e) {
            throw refused(e.getMessage(), code);
        }
        if (!(tree instanceof ObjectNode obj)) {
            throw refused("the body must be " + what + ", not " + (tree.isMissingNode() ? "empty"
                    : tree.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)), code);
        }
        return obj;
    }

    private static ApiException refused(String detail, RejectionCode code) {
        return code == null ? new ApiException(400, detail) : ApiException.rejected(code, detail, null);
    }
}
