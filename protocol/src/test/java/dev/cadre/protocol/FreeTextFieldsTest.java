package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Each free-text field a client sets and others see printed (protocol.md 4.6) refuses what PrintableText refuses. */
class FreeTextFieldsTest {
    private static final String ESCAPE = "\u001b[31mx";
    private static final String OVERRIDE = "abcd\u202eevil";
    private static final String ESCAPE_WHY = "contains U+001B (escape, a control character) at character 1";
    private static final String OVERRIDE_WHY = "contains U+202E (a bidi override) at character 5";

    private static List<String> problems(UnaryOperator<JobSpec.Builder> change) {
        return JobSpecValidator.validate(change.apply(MessageCodecTest.spec().toBuilder()).build()).stream()
                .map(JobSpecValidator.Problem::toString).toList();
    }

    @Test
    void theJobSpecsFreeTextAndPathsRefuseTerminalControlsAndBidiCharacters() {
        Map<String, BiFunction<JobSpec.Builder, String, JobSpec.Builder>> fields = Map.of(
                "spec.name", JobSpec.Builder::name, "spec.submitHost", JobSpec.Builder::submitHost,
                "spec.workDir", (b, v) -> b.workDir("/tmp/" + v), "spec.stdout", JobSpec.Builder::stdout,
                "spec.stderr", JobSpec.Builder::stderr, "spec.stdin", JobSpec.Builder::stdin,
                "spec.environment.CADRE_BATCH_SCRIPT", (b, v) -> b.environment(Map.of("CADRE_BATCH_SCRIPT", v)));
        fields.forEach((field, set) -> {
            int shift = field.equals("spec.workDir") ? 5 : 0;
            assertEquals(List.of(field + ": contains U+001B (escape, a control character) at character " + (1 + shift)),
                    problems(b -> set.apply(b, ESCAPE)), field);
            assertEquals(List.of(field + ": contains U+202E (a bidi override) at character " + (5 + shift)),
                    problems(b -> set.apply(b, OVERRIDE)), field);
            assertEquals(List.of(), problems(b -> set.apply(b, "Überprüfung-检修")), field);
        });
        assertEquals(List.of("submissionId: " + OVERRIDE_WHY), JobSpecValidator.validate(new ClientRequest.SubmitJob(
                OVERRIDE, MessageCodecTest.spec())).stream().map(JobSpecValidator.Problem::toString).toList());
    }

    @Test
    void theJobsOwnProgramAndDataArePassedOnAsSent() {
        assertEquals(List.of(), problems(b -> b.script("#!/bin/sh\nprintf '\\033[31m%s\\n' \"" + OVERRIDE + "\"\n")
                .args(List.of(ESCAPE, "two\nlines")).environment(Map.of("PS1", ESCAPE, "NOTE", OVERRIDE))));
    }

    @Test
    void aDrainsReasonIsFreeTextOfOneLine() {
        assertNull(ControlRequestValidator.drainReasonProblem("disk swap, ticket #4711 (Überprüfung)"));
        assertEquals("reason: " + ESCAPE_WHY, ControlRequestValidator.drainReasonProblem(ESCAPE));
        assertEquals("reason: " + OVERRIDE_WHY, ControlRequestValidator.drainReasonProblem(OVERRIDE));
        assertEquals("reason: contains U+000A (a line feed, a control character) at character 10",
                ControlRequestValidator.drainReasonProblem("disk swap\nfake line"));
        assertEquals("reason: is required to drain a node (Reason=...)", ControlRequestValidator.drainReasonProblem(" "));
        assertEquals("reason: is 1001 characters long; at most 1000 are allowed",
                ControlRequestValidator.drainReasonProblem("x".repeat(ControlRequestValidator.MAX_DRAIN_REASON + 1)));
    }

    @Test
    void aRefusedServiceNameIsEchoedWithoutItsControls() {
        String why = ServiceValidator.name("web\u001b]0;pwned\u0007\u202e").orElseThrow().message();
        assertTrue(why.startsWith("is 'web?]0;pwned??'; "), why);
    }

    @Test
    void aCreateServiceWithoutReplicasIsWrongTypeAsAnyRequiredIntegerIs() throws Exception {
        String body = "{\"version\": 1, \"type\": \"create-service\", \"service\": {\"name\": \"web\", \"template\":"
                + " {\"user\": \"alice\", \"script\": \"#!/bin/sh\\ntrue\\n\", \"workDir\": \"/tmp\"}}}";
        Map<String, String> got = Map.of(body, "nothing (the field is missing)",
                body.replace("\"name\": \"web\"", "\"name\": \"web\", \"replicas\": null"), "null");
        for (var sent : got.entrySet()) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(sent.getKey()));
            assertEquals(List.of(RejectionCode.WRONG_TYPE, "service.replicas", "service.replicas: expected an integer,"
                    + " got " + sent.getValue()), List.of(e.code(), e.field(), e.getMessage()));
        }
        ProtocolException job = assertThrows(ProtocolException.class, () -> MessageCodec.decode(
                "{\"version\": 1, \"type\": \"cancel-job\"}"));
        assertEquals(List.of(RejectionCode.WRONG_TYPE, "jobId: expected an integer, got nothing (the field is"
                + " missing)"), List.of(job.code(), job.getMessage()), "as a missing jobId is");
        String spec = Files.readString(Path.of("..", "docs", "protocol.md")).replaceAll("\\s+", " ");
        assertFalse(spec.contains("the one exception is"), "protocol.md 4.4 has no exception to its wrong-type rule");
        assertTrue(spec.contains("(required: missing or `null`, it is refused `wrong-type`, `service.replicas: expected"
                + " an integer, got nothing (the field is missing)`"), "protocol.md 5.7 says what the scheduler answers");
    }
}
