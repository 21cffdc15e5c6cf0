package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** scontrol show hostnames: the list given, else the job's; and its complaints. */
class ScontrolHostnamesTest {
    @Test
    void aListGivenIsExpandedInOrder() throws SlurmUsageException {
        assertEquals(List.of("n01", "n02", "n03", "gpu1"), ScontrolHostnames.of("n[01-03],gpu1", Map.of()));
        assertEquals(List.of("a"), ScontrolHostnames.of("a", Map.of("SLURM_JOB_NODELIST", "b[1-2]")));
    }

    @Test
    void withoutAListItIsTheJobsNodes() throws SlurmUsageException {
        assertEquals(List.of("b1", "b2"), ScontrolHostnames.of(null, Map.of("SLURM_JOB_NODELIST", "b[1-2]",
                "SLURM_NODELIST", "c1")));
        assertEquals(List.of("c1"), ScontrolHostnames.of(null, Map.of("SLURM_NODELIST", "c1")));
    }

    @Test
    void noListOrABadOneIsAnError() {
        assertEquals(List.of("scontrol: error: host list is empty"),
                assertThrows(SlurmUsageException.class, () -> ScontrolHostnames.of(null, Map.of())).lines());
        assertEquals(List.of("scontrol: error: host list is empty"), assertThrows(SlurmUsageException.class,
                () -> ScontrolHostnames.of(null, Map.of("SLURM_JOB_NODELIST", ""))).lines());
        SlurmUsageException bad = assertThrows(SlurmUsageException.class, () -> ScontrolHostnames.of("n[1-",
                Map.of()));
        assertEquals(List.of("Invalid hostlist: n[1- ('n[1-' has a '[' without its ']')"), bad.lines());
        assertEquals(1, bad.exitCode());
    }
}
