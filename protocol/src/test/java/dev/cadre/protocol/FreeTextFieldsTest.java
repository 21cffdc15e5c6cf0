package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        assertNull(ClientRequest.DrainNode.reasonProblem("disk swap, ticket #4711 (Überprüfung)"));
        assertEquals("reason: " + ESCAPE_WHY, ClientRequest.DrainNode.reasonProblem(ESCAPE));
        assertEquals("reason: " + OVERRIDE_WHY, ClientRequest.DrainNode.reasonProblem(OVERRIDE));
        assertEquals("reason: contains U+000A (a line feed, a control character) at character 10",
                ClientRequest.DrainNode.reasonProblem("disk swap\nfake line"));
        assertEquals("reason: is required to drain a node (Reason=...)", ClientRequest.DrainNode.reasonProblem(" "));
        assertEquals("reason: is 1001 characters long; at most 1000 are allowed",
                ClientRequest.DrainNode.reasonProblem("x".repeat(ClientRequest.DrainNode.MAX_REASON + 1)));
    }

    @Test
    void aRefusedServiceNameIsEchoedWithoutItsControls() {
        String why = ServiceValidator.name("web\u001b]0;pwned\u0007\u202e").orElseThrow().message();
        assertTrue(why.startsWith("is 'web?]0;pwned??'; "), why);
    }

    @Test
    void aCreateServiceWithoutReplicasIsInvalidFieldAsProtocolMdSays() throws Exception {
        String body = "{\"version\": 1, \"type\": \"create-service\", \"service\": {\"name\": \"web\", \"template\":"
                + " {\"user\": \"alice\", \"script\": \"#!/bin/sh\\ntrue\\n\", \"workDir\": \"/tmp\"}}}";
        for (String sent : List.of(body, body.replace("\"name\": \"web\"", "\"name\": \"web\", \"replicas\": null"))) {
            ClientRequest.CreateService create = assertInstanceOf(ClientRequest.CreateService.class,
                    MessageCodec.decode(sent), "the codec takes it: the scheduler's validator judges it");
            List<String> problems = ServiceValidator.validate(create.service()).stream()
                    .map(JobSpecValidator.Problem::toString).toList();
            assertEquals(List.of("service.replicas: is required"), problems);
        }
        String spec = Files.readString(Path.of("..", "docs", "protocol.md")).replaceAll("\\s+", " ");
        assertTrue(spec.contains("missing or `null`, it is refused `invalid-field`, `service.replicas: is required`"),
                "protocol.md 5.7 says what the scheduler answers");
        assertTrue(spec.contains("the one exception is `create-service`'s `service.replicas`, which the scheduler"
                + " checks with the rest of the service: missing or `null` it is `invalid-field`, `service.replicas: is"
                + " required`"), "protocol.md 4.4 names the exception to its wrong-type rule");
    }
}
