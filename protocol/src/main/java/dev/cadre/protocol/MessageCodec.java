package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JSON on the wire. Decoding is strict about types (no "5" for 5, no 1.5 for an integer) and lenient
 * about unknown fields, so newer senders work with older receivers.
 */
public final class MessageCodec {
    /** Largest accepted message body. */
    public static final int MAX_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = StrictJsonMapper.create();
    /** Read once from Message's annotation: a type name is needed for every reply and event sent. */
    private static final Map<Class<?>, String> WIRE_NAMES = Arrays.stream(
            Message.class.getAnnotation(JsonSubTypes.class).value())
            .collect(Collectors.toUnmodifiableMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));

    private MessageCodec() {
    }

    /** The shared, strictly configured mapper, for other JSON documents of the project (REST bodies). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(Message message) {
        try {
            return MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    public static String encodeValue(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** Decodes raw bytes, which must be valid UTF-8 and at most {@link #MAX_BYTES}. */
    public static Message decode(byte[] body) throws ProtocolException {
        return decode(text(body));
    }

    /** A body as text: at most {@link #MAX_BYTES} bytes of valid UTF-8. */
    public static String text(byte[] body) throws ProtocolException {
        if (body.length > MAX_BYTES) {
            throw new ProtocolException(RejectionCode.TOO_LARGE,
                    "message body is " + body.length + " bytes; the limit is " + MAX_BYTES);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(RejectionCode.MALFORMED, "message body is not valid UTF-8");
        }
    }

    public static Message decode(String json) throws ProtocolException {
        return decode(json, Message.class);
    }

    /** Decodes and checks that the message belongs to the expected family. */
    public static <T> T decode(String json, Class<T> family) throws ProtocolException {
        if (json == null || json.isBlank()) {
            throw new ProtocolException(RejectionCode.MALFORMED, "message body is empty");
        }
        if (json.length() > MAX_BYTES) {
            throw new ProtocolException(RejectionCode.TOO_LARGE,
                    "message body is " + json.length() + " characters; the limit is " + MAX_BYTES);
        }
        JsonNode tree = readTree(json);
        if (!(tree instanceof ObjectNode object)) {
            throw new ProtocolException(RejectionCode.MALFORMED, "message must be a JSON object with a 'type' field");
        }
        checkVersion(object.get("version"));
        requireWholeCharacters(object, "");
        Message message;
        try {
            message = MAPPER.treeToValue(object, Message.class);
        } catch (InvalidTypeIdException e) {
            String id = e.getTypeId();
            String path = pathOf(e);
            if (!path.isEmpty()) {
                // Inside a batch (place-jobs, runner-events): name the entry and what may stand there.
                throw new ProtocolException(RejectionCode.UNKNOWN_TYPE, id == null
                        ? "field '" + path + "' has no 'type' field"
                        : "field '" + path + "' is a message of type '" + MalformedJson.printable(id)
                                + "', which is not accepted there", path);
            }
            throw new ProtocolException(RejectionCode.UNKNOWN_TYPE, id == null
                    ? "message has no 'type' field"
                    : "unknown message type '" + MalformedJson.printable(id) + "'", "type");
        } catch (MismatchedInputException e) {
            String path = pathOf(e);
            if (path.isEmpty()) {
                throw new ProtocolException(RejectionCode.MALFORMED, "message must be a JSON object with a 'type' field");
            }
            throw new ProtocolException(RejectionCode.WRONG_TYPE, WrongJsonType.reason(path, e, object), path);
        } catch (JsonMappingException e) {
            String path = pathOf(e);
            if (e.getCause() instanceof InputCoercionException tooBig && !path.isEmpty()) {
                throw new ProtocolException(RejectionCode.INVALID_FIELD,
                        WrongJsonType.outOfRange(path, tooBig, e, object), path);
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ProtocolException(RejectionCode.INVALID_FIELD, (path.isEmpty() ? "invalid message: "
                    : "field '" + path + "' is invalid: ") + firstLine(cause.getMessage()), path.isEmpty() ? null : path);
        } catch (JsonProcessingException e) {
            // The tree was read already, so what fails here is a value, not the text's syntax.
            throw new ProtocolException(RejectionCode.INVALID_FIELD, "invalid message: "
                    + MalformedJson.problem(String.valueOf(e.getOriginalMessage())));
        }
        if (!family.isInstance(message)) {
            throw new ProtocolException(RejectionCode.UNKNOWN_TYPE,
                    "message type '" + typeName(message) + "' is not accepted here", "type");
        }
        requireReplicas(message, object);
        return family.cast(message);
    }

    /**
     * create-service's service.replicas is a required integer that its record holds boxed (an update-service leaves
     * it out to keep it), so the mapper takes it missing or null: refused here as every other required integer is,
     * wrong-type (section 4.4).
     */
    private static void requireReplicas(Message message, ObjectNode object) throws ProtocolException {
        if (message instanceof ClientRequest.CreateService c && c.service() != null
                && c.service().replicas() == null) {
            throw new ProtocolException(RejectionCode.WRONG_TYPE, WrongJsonType.reason("service.replicas",
                    "an integer", WrongJsonType.got(object.path("service").get("replicas"), false)),
                    "service.replicas");
        }
    }

    /**
     * One JSON value read strictly (duplicate keys, trailing values and the size limits refused), or MissingNode for
     * a text of white space only; what is not JSON is refused as {@link RejectionCode#MALFORMED} with
     * {@link MalformedJson}'s words.
     */
    public static JsonNode readTree(String json) throws ProtocolException {
        try (JsonParser parser = MAPPER.createParser(json == null ? "" : json)) {
            try {
                JsonNode tree = MAPPER.readTree(parser);
                return tree == null ? MissingNode.getInstance() : tree;
            } catch (JacksonException e) {
                throw new ProtocolException(RejectionCode.MALFORMED, MalformedJson.describe(e, parser));
            }
        } catch (IOException e) {
            // Only closing a parser over a String can get here, which reads nothing more.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * JSON escapes can spell half a UTF-16 surrogate pair ("\\ud800"), which is no character at all: stored, it
     * turns into '?' and two different submission ids would collide. Refused like invalid UTF-8.
     */
    private static void requireWholeCharacters(JsonNode node, String path) throws ProtocolException {
        if (node.isTextual()) {
            requireWholeCharacters(node.textValue(), path);
            return;
        }
        int index = 0;
        for (JsonNode child : node) {
            if (node.isArray()) {
                requireWholeCharacters(child, path + "[" + index++ + "]");
            }
        }
        if (node.isObject()) {
            for (var it = node.fields(); it.hasNext();) {
                var field = it.next();
                String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                requireWholeCharacters(field.getKey(), childPath);
                requireWholeCharacters(field.getValue(), childPath);
            }
        }
    }

    private static void requireWholeCharacters(String text, String path) throws ProtocolException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ProtocolException(RejectionCode.MALFORMED, "field '" + path + "' contains half a UTF-16"
                        + " surrogate pair (\\u" + Integer.toHexString(c) + "), which is not a character", path);
            }
        }
    }

    private static void checkVersion(JsonNode version) throws ProtocolException {
        if (version == null || version.isNull()) {
            return;
        }
        if (!version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() < 1) {
            throw new ProtocolException(RejectionCode.WRONG_TYPE,
                    WrongJsonType.reason("version", "a positive integer", WrongJsonType.got(version, false)),
                    "version");
        }
        if (version.intValue() > Message.PROTOCOL_VERSION) {
            throw new ProtocolException(RejectionCode.UNSUPPORTED_VERSION, "protocol version " + version.intValue()
                    + " is not supported; this Cadre speaks version " + Message.PROTOCOL_VERSION, "version");
        }
    }

    /** The wire name of a message type. */
    public static String typeName(Message message) {
        String name = WIRE_NAMES.get(message.getClass());
        if (name == null) {
            throw new IllegalArgumentException(message.getClass().getName());
        }
        return name;
    }

    private static String pathOf(JsonMappingException e) {
        return WrongJsonType.pathOf(e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
