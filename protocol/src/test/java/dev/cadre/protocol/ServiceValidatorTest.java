package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceValidatorTest {
    private static ServiceSpec spec(String name, Integer replicas, Integer budget) {
        return new ServiceSpec(name, replicas, MessageCodecTest.spec(), budget);
    }

    private static List<String> fields(ServiceSpec s) {
        return ServiceValidator.validate(s).stream().map(JobSpecValidator.Problem::field).toList();
    }

    private static List<String> fields(ClientRequest.UpdateService u) {
        return ServiceValidator.validate(u).stream().map(JobSpecValidator.Problem::field).toList();
    }

    @Test
    void namesAre1To63LettersDigitsDotsDashesAndUnderscoresStartingWithALetterOrDigit() {
        for (String good : List.of("w", "web", "Web-2", "a.b_c", "9lives", "x".repeat(63))) {
            assertEquals(List.of(), fields(spec(good, 1, null)), good);
        }
        for (String bad : new String[] {null, "", "-web", ".web", "_web", "a b", "mix?x", "a/b", "a%20b", "é",
                "x".repeat(64)}) {
            assertEquals(List.of("service.name"), fields(spec(bad, 1, null)), bad);
            assertTrue(ServiceValidator.name(bad).isPresent(), bad);
        }
        assertTrue(ServiceValidator.name("mix?x").orElseThrow().message().contains("'mix?x'"));
    }

    @Test
    void replicasAreRequiredAndFrom0To10000() {
        assertEquals(List.of(), fields(spec("web", 0, null)));
        assertEquals(List.of(), fields(spec("web", ServiceSpec.MAX_REPLICAS, null)));
        assertEquals(List.of("service.replicas"), fields(spec("web", -1, null)));
        assertEquals(List.of("service.replicas"), fields(spec("web", ServiceSpec.MAX_REPLICAS + 1, null)));
        assertEquals("service.replicas: is required", ServiceValidator.validate(spec("web", null, null)).get(0)
                .toString());
    }

    @Test
    void theFailureBudgetIsFrom1To1000() {
        assertEquals(List.of(), fields(spec("web", 1, 1)));
        assertEquals(List.of(), fields(spec("web", 1, 1000)));
        assertEquals(List.of("service.maxConsecutiveFailures"), fields(spec("web", 1, 0)));
        assertEquals(List.of("service.maxConsecutiveFailures"), fields(spec("web", 1, 1001)));
    }

    @Test
    void theTemplateIsAJobSpecThatStandsAlone() {
        assertEquals(List.of("service"), fields((ServiceSpec) null));
        assertEquals(List.of("service.template"), fields(new ServiceSpec("web", 1, null, null)));
        JobSpec ok = MessageCodecTest.spec();
        assertEquals(List.of("service.template.tasks"), fields(new ServiceSpec("web", 1,
                ok.toBuilder().tasks(-1).build(), null)));
        assertEquals(List.of("service.template"), fields(new ServiceSpec("web", 1,
                ok.toBuilder().array("0-3").build(), null)));
        assertEquals(List.of("service.template"), fields(new ServiceSpec("web", 1,
                ok.toBuilder().dependency("afterok:1").build(), null)));
    }

    @Test
    void anUpdateNamesAServiceAndAtLeastOneValidValue() {
        assertEquals(List.of(), fields(new ClientRequest.UpdateService("web", 0, null)));
        assertEquals(List.of(), fields(new ClientRequest.UpdateService("web", null, 3)));
        assertEquals(List.of("name"), fields(new ClientRequest.UpdateService("a b", 2, null)));
        assertEquals(List.of("replicas"), fields(new ClientRequest.UpdateService("web", null, null)));
        assertEquals(List.of("replicas"), fields(new ClientRequest.UpdateService("web", 10_001, null)));
        assertEquals(List.of("maxConsecutiveFailures"), fields(new ClientRequest.UpdateService("web", 1, 0)));
    }
}
