package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every kind of unreadable JSON a sender can make, refused in plain words with its place: no parser class or setting
 * names, no backticks, no "[Source: ...]".
 */
class MalformedJsonTest {
    private static final String SPEC = "\"spec\":{\"name\":\"t\",\"user\":\"u\",\"script\":\"#!/bin/sh\\n\","
            + "\"workDir\":\"/tmp\"";
    /** A Java class, method or setting name: dotted identifiers, CamelCase words, SHOUTING_SETTINGS. */
    private static final Pattern INSIDES = Pattern.compile(
            "[a-z]+\\.[a-z]+\\.[A-Za-z]|[A-Z]+_[A-Z_]+"
                    + "|[A-Z][a-z]+[A-Z][a-z]+[A-Za-z]*(?:Exception|Feature|Node|Constraints)");

    @Test
    void truncatedInputSaysWhatIsLeftOpen() {
        assertMalformed("malformed JSON at line 1, column 2: the text ends before the object opened at line 1,"
                + " column 1 is closed with '}'", "{");
        assertMalformed("malformed JSON at line 2, column 3: the text ends inside an array, before it is closed"
                + " with ']'", "{\"jobs\":[\n1,");
        assertMalformed("malformed JSON at line 1, column 13: the text ends inside a string, before its closing double"
                + " quote", "{\"type\":\"sub");
        assertMalformed("malformed JSON at line 1, column 9: the text ends inside an object, before it is closed with"
                + " '}'",
                "{\"type\":");
    }

    @Test
    void illegalCharactersAreNamedByCodePoint() {
        assertMalformed("malformed JSON at line 1, column 2: control character U+0000 between values; only spaces,"
                + " tabs and line breaks may stand there", "\0\1garbage");
        assertMalformed("malformed JSON at line 1, column 11: control character U+0009 inside a string; write it"
                + " escaped with a backslash (\\n, \\t, \\u0000)", "{\"type\":\"a\tb\"}");
        assertMalformed("malformed JSON at line 1, column 22: character '\"' where a comma between the object's"
                + " fields was expected", "{\"type\":\"submit-job\" \"spec\":{}}");
        assertMalformed("malformed JSON at line 1, column 12: character '2' where a comma between the array's values"
                + " was expected", "{\"jobs\":[1 2]}");
        assertMalformed("malformed JSON at line 1, column 3: character ''' where a field name in double quotes was"
                + " expected", "{ 'type':1}");
        assertMalformed("malformed JSON at line 1, column 9: character '1' where a colon after the field name was"
                + " expected", "{\"type\" 1}");
        assertMalformed("malformed JSON at line 1, column 9: character '/' starts a comment, which JSON does not have",
                "{\"type\":/* no */1}");
        assertMalformed("malformed JSON at line 1, column 11: character '}' after a minus sign, where a digit was"
                + " expected", "{\"jobId\":-}");
        assertMalformed("malformed JSON at line 1, column 14: character 'x' in a \\u escape, where a hexadecimal digit"
                + " was expected", "{\"type\":\"\\u12x4\"}");
        assertMalformed("malformed JSON at line 1, column 9: character '}' where a value was expected: a string in"
                + " double quotes, a number, an array, an object, true, false or null", "{\"type\":}");
        assertMalformed("malformed JSON at line 1, column 11: '}' closes the array opened at line 1, column 9, which"
                + " needs ']'", "{\"jobs\":[1}");
        assertMalformed("malformed JSON at line 1, column 11: unknown escape \\q in a string; JSON has \\\" \\\\ \\/"
                + " \\b \\f \\n \\r \\t and \\uXXXX", "{\"type\":\"\\q\"}");
    }

    @Test
    void unrecognizedTokensAreQuotedSafely() {
        assertMalformed("malformed JSON at line 1, column 1: unrecognized word 'not'; expected a value: a string in"
                + " double quotes, a number, an array, an object, true, false or null", "not json at all");
        assertMalformed("malformed JSON at line 1, column 10: unrecognized word 'tru'; expected a value: a string in"
                + " double quotes, a number, an array, an object, true, false or null", "{\"admin\":tru}");
        assertMalformed("malformed JSON at line 1, column 13: unrecognized word 'NaN'; expected a value: a string in"
                + " double quotes, a number, an array, an object, true, false or null", "{\"jobId\":NaN}");
        String long_ = reason("{\"admin\":x" + "y".repeat(300) + "}");
        assertTrue(long_.contains("'x" + "y".repeat(63) + "...'"), long_);
    }

    @Test
    void aDuplicateKeyIsNamed() {
        assertMalformed("malformed JSON at line 1, column 28: field 'type' is given twice",
                "{\"type\":\"cancel-job\",\"type\":\"submit-job\",\"jobId\":1}");
        assertMalformed("malformed JSON at line 1, column 47: field 'tasks' is given twice",
                "{\"type\":\"submit-job\",\"spec\":{\"tasks\":1,\"tasks\":2}}");
    }

    @Test
    void limitsOfNumbersNestingAndStringsAreStatedWithTheirPlace() {
        assertMalformed("malformed JSON at line 1, column 60: a number of 50 characters; at most 40 are allowed",
                "{\"jobId\":" + "9".repeat(50) + "}");
        assertMalformed("malformed JSON at line 1, column 11: invalid number: leading zeroes not allowed",
                "{\"jobId\":01}");
        assertMalformed("malformed JSON at line 1, column 66: arrays and objects nested 65 deep; at most 64 levels are"
                + " allowed", "[".repeat(65) + "]".repeat(65));
        // The codec's own body limit comes first; a smaller string limit shows the same words.
        ObjectMapper small = MessageCodec.mapper().copy();
        small.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(10).build());
        String text = "{\"name\":\"" + "x".repeat(20) + "\"}";
        JacksonException e = assertThrows(JacksonException.class, () -> small.readTree(text));
        String words = MalformedJson.describe(e, null);
        assertEquals("malformed JSON: a string of 20 characters; at most 10 are allowed", words);
    }

    @Test
    void trailingDataIsASecondValue() {
        assertMalformed("malformed JSON at line 1, column 33: more than one JSON value; send one",
                "{\"type\":\"cancel-job\",\"jobId\":1} {}");
        assertMalformed("malformed JSON at line 1, column 33: more than one JSON value; send one",
                "{\"type\":\"cancel-job\",\"jobId\":1} trailing");
    }

    @Test
    void invalidUtf8HasItsOwnWords() throws Exception {
        byte[] bad = {'{', '"', (byte) 0xC3, 0x28, '"', ':', '1', '}'};
        assertEquals("message body is not valid UTF-8",
                assertThrows(ProtocolException.class, () -> MessageCodec.decode(bad)).getMessage());
        // The same bytes read by a byte parser, as a REST body could be.
        try (JsonParser parser = MessageCodec.mapper().createParser(bad)) {
            JacksonException e = assertThrows(JacksonException.class, () -> MessageCodec.mapper().readTree(parser));
            String words = MalformedJson.describe(e, parser);
            assertTrue(words.startsWith("malformed JSON at line 1, column ") && words.endsWith("the text is not valid"
                    + " UTF-8"), words);
        }
    }

    @Test
    void wrongTypesNameTheFieldWhatWasExpectedAndWhatCame() {
        assertWrongType("spec.tasks: expected an integer, got a string", "spec.tasks", SPEC + ",\"tasks\":\"4\"}");
        assertWrongType("spec.tasks: expected an integer, got a number with a fraction or exponent", "spec.tasks",
                SPEC + ",\"tasks\":1.5}");
        assertWrongType("spec.tasks: expected an integer, got true", "spec.tasks", SPEC + ",\"tasks\":true}");
        assertWrongType("spec.name: expected a string, got an integer", "spec.name",
                SPEC.replace("\"name\":\"t\"", "\"name\":7") + "}");
        assertWrongType("spec.args: expected an array, got a string", "spec.args", SPEC + ",\"args\":\"x\"}");
        assertWrongType("spec.args[1]: expected a string, got an object", "spec.args[1]",
                SPEC + ",\"args\":[\"a\",{}]}");
        assertWrongType("spec: expected an object, got an array", "spec", "\"spec\":[]");
        assertWrongType("spec.beginTime: expected an ISO-8601 time such as \"2026-11-21T10:00:00Z\", got \"tomorrow\"",
                "spec.beginTime", SPEC + ",\"beginTime\":\"tomorrow\"}");
        var missing = assertThrows(ProtocolException.class, () -> MessageCodec.decode("{\"type\":\"cancel-job\"}"));
        assertEquals("jobId: expected an integer, got nothing (the field is missing)", missing.getMessage());
        var nul = assertThrows(ProtocolException.class,
                () -> MessageCodec.decode("{\"type\":\"cancel-job\",\"jobId\":null}"));
        assertEquals("jobId: expected an integer, got null", nul.getMessage());
        var version = assertThrows(ProtocolException.class,
                () -> MessageCodec.decode("{\"version\":\"1\",\"type\":\"cancel-job\",\"jobId\":1}"));
        assertEquals("version: expected a positive integer, got a string", version.getMessage());
    }

    @Test
    void aNumberOutOfItsFieldsRangeSaysTheRange() {
        var e = assertThrows(ProtocolException.class,
                () -> MessageCodec.decode("{\"type\":\"submit-job\"," + SPEC + ",\"tasks\":99999999999}}"));
        assertEquals(RejectionCode.INVALID_FIELD, e.code());
        assertEquals("spec.tasks", e.field());
        assertEquals("spec.tasks: is 99999999999, outside the integers this field holds (-2147483648 to 2147483647)",
                e.getMessage());
        var big = assertThrows(ProtocolException.class, () -> MessageCodec.decode("{\"type\":\"submit-job\"," + SPEC
                + ",\"memoryMb\":99999999999999999999999}}"));
        assertEquals("spec.memoryMb: is 99999999999999999999999, outside the integers this field holds"
                + " (-9223372036854775808 to 9223372036854775807)", big.getMessage());
    }

    @Test
    void readTreeGivesWhiteSpaceAsMissingAndRefusesTheRest() throws Exception {
        assertTrue(MessageCodec.readTree("  ").isMissingNode());
        assertEquals(3, MessageCodec.readTree("[1,2,3]").size());
        assertEquals(RejectionCode.MALFORMED, assertThrows(ProtocolException.class,
                () -> MessageCodec.readTree("{\"a\":1,\"a\":2}")).code());
    }

    private static void assertWrongType(String expected, String field, String body) {
        String json = "{\"type\":\"submit-job\",\"submissionId\":\"s\"," + body + "}";
        var e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(json), json);
        assertEquals(expected, e.getMessage(), json);
        assertEquals(field, e.field());
        assertEquals(RejectionCode.WRONG_TYPE, e.code());
        assertPlain(e.getMessage());
    }

    private static void assertMalformed(String expected, String json) {
        String reason = reason(json);
        assertEquals(expected, reason, json);
        assertPlain(reason);
    }

    private static String reason(String json) {
        var e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(json), json);
        assertEquals(RejectionCode.MALFORMED, e.code(), json);
        return e.getMessage();
    }

    private static void assertPlain(String reason) {
        assertFalse(reason.contains("`"), reason);
        assertFalse(reason.contains("[Source"), reason);
        assertFalse(reason.contains("REDACTED"), reason);
        assertFalse(INSIDES.matcher(reason).find(), reason);
    }
}
