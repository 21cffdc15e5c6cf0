package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The example of every wire type in docs/protocol/examples is valid, complete, and quoted in docs/protocol.md. */
class ProtocolExamplesTest {
    /** Tests run in the module's directory; the docs live beside the modules. */
    private static final Path EXAMPLES = Path.of("..", "docs", "protocol", "examples");
    private static final Path SPEC = Path.of("..", "docs", "protocol.md");

    static List<String> wireNames() {
        return Arrays.stream(Message.class.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name)
                .toList();
    }

    @Test
    void everyWireTypeHasAnExampleThatDecodesAndRoundTrips() throws Exception {
        for (String name : wireNames()) {
            Path file = EXAMPLES.resolve(name + ".json");
            assertTrue(Files.isRegularFile(file), "no example for wire type '" + name + "': expected " + file);
            String json = Files.readString(file);
            Message message = MessageCodec.decode(json);
            assertEquals(name, MessageCodec.typeName(message), file + " decodes to another type");
            String encoded = MessageCodec.encode(message);
            assertEquals(message, MessageCodec.decode(encoded), name + " does not survive encode and decode");
            // Decoding ignores unknown fields, so a misspelt field would pass unnoticed without this.
            assertContained(MessageCodec.mapper().readTree(json), MessageCodec.mapper().readTree(encoded), name);
        }
    }

    @Test
    void everyExampleFileIsAWireType() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                assertTrue(name.endsWith(".json") && wireNames().contains(name.substring(0, name.length() - 5)),
                        f + " is not named after a wire type of Message: " + wireNames());
            }
        }
    }

    @Test
    void protocolSpecificationQuotesEveryExampleAsItIs() throws IOException {
        String spec = Files.readString(SPEC);
        for (String name : wireNames()) {
            String example = Files.readString(EXAMPLES.resolve(name + ".json")).strip();
            assertTrue(spec.contains("```json\n" + example + "\n```"),
                    SPEC + " must quote " + name + ".json exactly as the file has it, in a json block");
        }
    }

    /** Every field the example sets comes back from the encoder with the same value. */
    private static void assertContained(JsonNode example, JsonNode encoded, String path) {
        if (example.isObject()) {
            assertTrue(encoded.isObject(), path + " is not an object once encoded");
            for (Iterator<Map.Entry<String, JsonNode>> it = example.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = path + "." + field.getKey();
                assertTrue(encoded.has(field.getKey()), at + " is not a field of the message (misspelt?)");
                assertContained(field.getValue(), encoded.get(field.getKey()), at);
            }
        } else if (example.isArray()) {
            assertEquals(example.size(), encoded.size(), path + " changed length");
            for (int i = 0; i < example.size(); i++) {
                assertContained(example.get(i), encoded.get(i), path + "[" + i + "]");
            }
        } else if (example.isTextual() && encoded.isTextual()) {
            assertEquals(example.asText(), encoded.asText(), path);
        } else {
            assertEquals(example, encoded, path);
        }
    }
}
