package dev.cadre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The case and reply files that the Java tests share with the Python senders (cli/src/test/python/case_file.py
 * describes the format): one JSON object per line, so every protocol replays exactly the same messages.
 */
final class CaseFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaseFile() {
    }

    /**
     * A message to send to cadre.submit.
     *
     * @param kind text, bytes, map, list or none (a message without a body)
     * @param body base64 for text and bytes, a JSON object for map, a JSON array for list
     */
    record SubmissionCase(String id, String kind, boolean replyTo, JsonNode body) {
        byte[] bytes() {
            return Base64.getDecoder().decode(body.asText());
        }

        SubmissionCase withoutReplyTo() {
            return new SubmissionCase(id, kind, false, body);
        }
    }

    /**
     * What came back for a case. Exactly one of body (the reply's text), unreadable (the repr of a body that
     * was not text) and refused (the broker's delivery state for a message it did not take) is set.
     */
    record Reply(String id, String type, String body, String unreadable, String refused) {
    }

    static SubmissionCase text(String id, String text) {
        return encoded(id, "text", text.getBytes(StandardCharsets.UTF_8));
    }

    static SubmissionCase bytes(String id, byte[] bytes) {
        return encoded(id, "bytes", bytes);
    }

    static SubmissionCase map(String id, Map<String, ?> entries) {
        return new SubmissionCase(id, "map", true, JSON.valueToTree(entries));
    }

    private static SubmissionCase encoded(String id, String kind, byte[] bytes) {
        return new SubmissionCase(id, kind, true,
                JsonNodeFactory.instance.textNode(Base64.getEncoder().encodeToString(bytes)));
    }

    static void write(Path file, List<SubmissionCase> cases) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (SubmissionCase c : cases) {
                ObjectNode line = JSON.createObjectNode().put("id", c.id()).put("kind", c.kind())
                        .put("replyTo", c.replyTo());
                line.set("body", c.body());
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            }
        }
    }

    static List<SubmissionCase> read(Path file) throws IOException {
        List<SubmissionCase> cases = new ArrayList<>();
        for (JsonNode line : lines(file)) {
            cases.add(new SubmissionCase(line.path("id").asText(), line.path("kind").asText(),
                    line.path("replyTo").asBoolean(), line.get("body")));
        }
        return cases;
    }

    static List<Reply> readReplies(Path file) throws IOException {
        List<Reply> replies = new ArrayList<>();
        for (JsonNode line : lines(file)) {
            replies.add(new Reply(textOrNull(line, "id"), textOrNull(line, "type"), textOrNull(line, "body"),
                    textOrNull(line, "unreadable"), textOrNull(line, "refused")));
        }
        return replies;
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        try (Stream<String> lines = Files.lines(file)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (!line.isBlank()) {
                    nodes.add(JSON.readTree(line));
                }
            }
        }
        return nodes;
    }

    private static String textOrNull(JsonNode line, String field) {
        JsonNode value = line.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
