package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobSpecValidatorTest {
    private static List<String> fields(JobSpec spec) {
        return JobSpecValidator.validate(spec).stream().map(JobSpecValidator.Problem::field).toList();
    }

    @Test
    void aPlainSpecPasses() {
        assertTrue(JobSpecValidator.validate(MessageCodecTest.spec()).isEmpty());
    }

    @Test
    void eachProblemNamesItsField() {
        JobSpec ok = MessageCodecTest.spec();
        assertEquals(List.of("spec.script"), fields(ok.toBuilder().script("echo no shebang").build()));
        assertEquals(List.of("spec.workDir"), fields(ok.toBuilder().workDir("relative/dir").build()));
        assertEquals(List.of("spec.tasks"), fields(ok.toBuilder().tasks(-3).build()));
        assertEquals(List.of("spec.nodes"), fields(ok.toBuilder().nodes(1_000_000).build()));
        assertEquals(List.of("spec.timeLimitSeconds"), fields(ok.toBuilder().timeLimitSeconds(0L).build()));
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().stdout("out\u0000.txt").build()));
        assertEquals(List.of("spec.user"), fields(ok.toBuilder().user("../../root").build()));
        assertEquals(List.of("spec.environment"), fields(ok.toBuilder().environment(Map.of("1BAD", "x")).build()));
        assertEquals(List.of("spec.tasks"), fields(ok.toBuilder().nodes(3).tasks(2).build()));
        assertEquals(List.of("spec"), fields(null));
    }

    @Test
    void hostilePathsAreRefused() {
        JobSpec ok = MessageCodecTest.spec();
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().stdout("../../etc/cron.d/x").build()));
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().stdout("/etc/passwd").build()));
        assertEquals(List.of("spec.stderr"), fields(ok.toBuilder().stderr("//usr//bin/ls").build()));
        assertEquals(List.of("spec.stdout"), fields(ok.toBuilder().stdout("/proc/self/mem").build()));
        assertEquals(List.of("spec.stdin"), fields(ok.toBuilder().stdin("/dev/sda").build()));
        assertEquals(List.of("spec.workDir"), fields(ok.toBuilder().workDir("/tmp/../etc").build()));
        assertEquals(List.of(), fields(ok.toBuilder().stdout("/dev/null").stderr("/tmp/out-%j.txt")
                .stdin("/etc/hosts").build()));
        assertEquals(List.of(), fields(ok.toBuilder().stdout("results/..data/%x.out").build()));
    }

    @Test
    void submissionIdsAreBoundedAndPrintable() {
        JobSpec ok = MessageCodecTest.spec();
        assertEquals(List.of(), JobSpecValidator.validate(new ClientRequest.SubmitJob("run-1", ok)));
        assertEquals(List.of("submissionId"), JobSpecValidator.validate(new ClientRequest.SubmitJob("x".repeat(257), ok))
                .stream().map(JobSpecValidator.Problem::field).toList());
        assertEquals(List.of("submissionId"), JobSpecValidator.validate(new ClientRequest.SubmitJob("a\nb", ok))
                .stream().map(JobSpecValidator.Problem::field).toList());
    }
}
