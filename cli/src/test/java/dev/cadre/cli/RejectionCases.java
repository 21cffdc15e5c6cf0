package dev.cadre.cli;

import static dev.cadre.protocol.RejectionCode.INVALID_FIELD;
import static dev.cadre.protocol.RejectionCode.MALFORMED;
import static dev.cadre.protocol.RejectionCode.TOO_LARGE;
import static dev.cadre.protocol.RejectionCode.UNKNOWN_TYPE;
import static dev.cadre.protocol.RejectionCode.UNSUPPORTED_VERSION;
import static dev.cadre.protocol.RejectionCode.WRONG_BODY;
import static dev.cadre.protocol.RejectionCode.WRONG_TYPE;

import dev.cadre.cli.CaseFile.SubmissionCase;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.RejectionCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Bad submissions sent on purpose, each over the protocol where it comes naturally, with its exact rejection. */
final class RejectionCases {
    private static final String USER = "\"user\":\"tester\"";
    private static final String SCRIPT = "\"script\":\"#!/bin/sh\\ntrue\\n\"";
    private static final String WORK_DIR = "\"workDir\":\"/tmp\"";
    private static final String SPEC = "\"name\":\"t\"," + USER + "," + SCRIPT + "," + WORK_DIR;
    /**
     * Over the scheduler's 1 MiB body limit, and under the broker's 4 MiB send limit (SendLimits refuses larger sends)
     * even as a JMS text message, which travels at two bytes a character.
     */
    private static final int ONE_AND_A_HALF_MIB = 3 << 19;
    private static final String WRONG_TASKS = "spec.tasks: expected an integer, got a string";
    private static final String UNDER_PROC = "must not be under /proc (system files are never job output)";

    private RejectionCases() {
    }

    /** A case and the rejection it must get; the submission id is only known once the JSON was readable. */
    record Expected(SubmissionCase sent, ClientReply.JobRejected rejection) {
    }

    private static Expected expect(SubmissionCase sent, String submissionId, RejectionCode code, String reason,
            String field) {
        return new Expected(sent, new ClientReply.JobRejected(submissionId, code, reason, field));
    }

    private static String submit(String submissionId, String specFields) {
        return "{\"type\":\"submit-job\",\"submissionId\":\"" + submissionId + "\",\"spec\":{" + specFields + "}}";
    }

    private static String invalid(String field, String problem) {
        return field + ": " + problem;
    }

    /** A submission that would be valid but for its size: a script padded to exactly 1.5 MiB of body. */
    static byte[] oversized() {
        String head = "{\"type\":\"submit-job\",\"spec\":{" + USER + "," + WORK_DIR + ",\"script\":\"#!/bin/sh\\n#";
        String tail = "\"}}";
        return (head + "x".repeat(ONE_AND_A_HALF_MIB - head.length() - tail.length()) + tail)
                .getBytes(StandardCharsets.UTF_8);
    }

    static List<Expected> overJms() {
        byte[] big = oversized();
        return List.of(
                expect(CaseFile.text("j-malformed", "{\"type\":\"submit-job\" \"spec\":{" + SPEC + "}}"), null,
                        MALFORMED, "malformed JSON at line 1, column 22: character '\"' where a comma between the"
                                + " object's fields was expected", null),
                expect(CaseFile.text("j-tasks-string", submit("j1", SPEC + ",\"tasks\":\"4\"")), null, WRONG_TYPE,
                        WRONG_TASKS, "spec.tasks"),
                expect(CaseFile.text("j-tasks-fraction", submit("j2", SPEC + ",\"tasks\":1.5")), null, WRONG_TYPE,
                        "spec.tasks: expected an integer, got a number with a fraction or exponent", "spec.tasks"),
                expect(CaseFile.text("j-name-number", submit("j3", SPEC.replace("\"t\"", "7"))), null, WRONG_TYPE,
                        "spec.name: expected a string, got an integer", "spec.name"),
                expect(CaseFile.text("j-no-spec", "{\"type\":\"submit-job\",\"submissionId\":\"j4\"}"), "j4",
                        INVALID_FIELD, invalid("spec", "is required"), "spec"),
                expect(CaseFile.text("j-no-script", submit("j5", USER + "," + WORK_DIR)), "j5", INVALID_FIELD,
                        invalid("spec.script", "is required"), "spec.script"),
                expect(CaseFile.text("j-no-workdir", submit("j6", USER + "," + SCRIPT)), "j6", INVALID_FIELD,
                        invalid("spec.workDir", "is required"), "spec.workDir"),
                expect(CaseFile.text("j-tasks-below-nodes", submit("j7", SPEC + ",\"tasks\":2,\"nodes\":4")), "j7",
                        INVALID_FIELD, invalid("spec.tasks", "is 2, fewer than the 4 nodes asked for; every node"
                                + " needs at least one task"), "spec.tasks"),
                expect(CaseFile.text("j-version-2", "{\"type\":\"submit-job\",\"version\":2,\"spec\":{" + SPEC + "}}"),
                        null, UNSUPPORTED_VERSION, "protocol version 2 is not supported; this Cadre speaks version 1",
                        "version"),
                expect(CaseFile.text("j-tasks-negative", submit("j8", SPEC + ",\"tasks\":-1")), "j8", INVALID_FIELD,
                        invalid("spec.tasks", "is -1; it must be between 1 and 1000000"), "spec.tasks"),
                expect(CaseFile.text("j-nodes-absurd", submit("j9", SPEC + ",\"nodes\":1000000000")), "j9",
                        INVALID_FIELD, invalid("spec.nodes", "is 1000000000; it must be between 1 and 10000"),
                        "spec.nodes"),
                expect(CaseFile.text("j-cpus-absurd", submit("j10", SPEC + ",\"cpusPerTask\":1000000")), "j10",
                        INVALID_FIELD, invalid("spec.cpusPerTask", "is 1000000; it must be between 1 and 4096"),
                        "spec.cpusPerTask"),
                expect(CaseFile.bytes("j-oversized-bytes", big), null, TOO_LARGE,
                        "message body is 1572864 bytes; the limit is 1048576", null),
                expect(CaseFile.text("j-oversized-text", new String(big, StandardCharsets.UTF_8)), null, TOO_LARGE,
                        "message body is 1572864 characters; the limit is 1048576", null),
                expect(CaseFile.bytes("j-invalid-utf8", new byte[] {'{', '"', (byte) 0xC3, 0x28, (byte) 0xFF, '}'}),
                        null, MALFORMED, "message body is not valid UTF-8", null),
                expect(CaseFile.text("j-stdout-climbs", submit("j11", SPEC + ",\"stdout\":\"../../etc/x\"")), "j11",
                        INVALID_FIELD, invalid("spec.stdout", "must not contain a '..' component"), "spec.stdout"),
                expect(CaseFile.text("j-stdout-passwd", submit("j12", SPEC + ",\"stdout\":\"/etc/passwd\"")), "j12",
                        INVALID_FIELD, invalid("spec.stdout", "must not be under /etc (system files are never job"
                                + " output)"), "spec.stdout"),
                expect(CaseFile.text("j-stdout-proc", submit("j13", SPEC + ",\"stdout\":\"/proc/self/mem\"")), "j13",
                        INVALID_FIELD, invalid("spec.stdout", UNDER_PROC), "spec.stdout"),
                expect(CaseFile.map("j-map", Map.of("type", "submit-job", "submissionId", "j14")), null, WRONG_BODY,
                        "message body must be JSON text (a text or bytes message), not a MapMessage", null),
                expect(CaseFile.bytes("j-garbage", "\0\1garbage".getBytes(StandardCharsets.UTF_8)), null, MALFORMED,
                        "malformed JSON at line 1, column 2: control character U+0000 between values; only spaces,"
                                + " tabs and line breaks may stand there", null));
    }

    static List<Expected> overAmqp() {
        return List.of(
                expect(CaseFile.text("a-truncated", "{\"type\":\"submit-job\",\"spec\":{" + SPEC + "}"), null,
                        MALFORMED, "malformed JSON at line 1, column 103: the text ends before the object opened at"
                                + " line 1, column 1 is closed with '}'", null),
                expect(CaseFile.bytes("a-oversized-binary", oversized()), null, TOO_LARGE,
                        "message body is 1572864 bytes; the limit is 1048576", null),
                expect(CaseFile.map("a-dict", Map.of("type", "submit-job", "submissionId", "a1", "tasks", 1)), null,
                        WRONG_BODY, "message body must be JSON text (a text or bytes message), not a MapMessage",
                        null),
                expect(CaseFile.bytes("a-garbage", "not json at all".getBytes(StandardCharsets.UTF_8)), null,
                        MALFORMED, "malformed JSON at line 1, column 1: unrecognized word 'not'; expected a value: a"
                                + " string in double quotes, a number, an array, an object, true, false or null", null),
                expect(CaseFile.text("a-stderr-proc", submit("a2", SPEC + ",\"stderr\":\"/proc/self/mem\"")), "a2",
                        INVALID_FIELD, invalid("spec.stderr", UNDER_PROC), "spec.stderr"));
    }

    static List<Expected> overStomp() {
        return List.of(
                expect(CaseFile.bytes("s-invalid-utf8", ("{\"type\":\"submit-job\",\"spec\":{\"name\":\"\u00e9"
                        + "\"}}").getBytes(StandardCharsets.ISO_8859_1)), null, MALFORMED,
                        "message body is not valid UTF-8", null),
                expect(CaseFile.text("s-no-user", submit("s1", SCRIPT + "," + WORK_DIR)), "s1", INVALID_FIELD,
                        invalid("spec.user", "must be a user name of letters, digits, '_', '.', '@' or '-'"),
                        "spec.user"),
                expect(CaseFile.text("s-unknown-type", "{\"type\":\"frobnicate\",\"spec\":{" + SPEC + "}}"), null,
                        UNKNOWN_TYPE, "unknown message type 'frobnicate'", "type"),
                expect(CaseFile.text("s-tasks-string", submit("s2", SPEC + ",\"tasks\":\"4\"")), null, WRONG_TYPE,
                        WRONG_TASKS, "spec.tasks"),
                expect(CaseFile.text("s-stdout-passwd", submit("s3", SPEC + ",\"stdout\":\"/etc/passwd\"")), "s3",
                        INVALID_FIELD, invalid("spec.stdout", "must not be under /etc (system files are never job"
                                + " output)"), "spec.stdout"));
    }
}
