package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node back with fewer cores than a job still holds there: sinfo counts no CPU idle, never a negative number. */
class SinfoOverAllocatedNodeTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T08:05:09Z"), ZoneOffset.UTC);

    private static List<String> sinfo(List<SinfoNode> nodes, String... args) throws SlurmUsageException {
        return SinfoFormat.render(SinfoOptions.parse(List.of(args), Map.of()), nodes, CLOCK);
    }

    @Test
    void idleAndOtherCpusStopAtZero() throws Exception {
        SinfoNode shrunk = new SinfoNode("h1", 1, 2, 7976, 0, false, null, null);
        SinfoNode idle = new SinfoNode("h2", 2, 0, 7976, 0, false, null, null);
        assertEquals(List.of("h1 allocated 2/0/0/1 1/0/0/1 1/0"), sinfo(List.of(shrunk), "-N", "-h", "-o",
                "%N %T %C %F %A"));
        assertEquals(List.of("2/2/0/3"), sinfo(List.of(shrunk, idle), "-h", "-o", "%C"),
                "the cluster's idle CPUs are h2's alone");
        SinfoNode drainedShrunk = new SinfoNode("h3", 1, 2, 7976, 0, 0, false, null, null, true, null);
        assertEquals(List.of("2/0/0/1"), sinfo(List.of(drainedShrunk), "-h", "-o", "%C"));
    }
}
