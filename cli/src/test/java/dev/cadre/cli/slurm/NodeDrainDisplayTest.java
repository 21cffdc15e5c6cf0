package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Drained nodes as scontrol update reads them and sinfo and scontrol show node print them. */
class NodeDrainDisplayTest {
    private static final Instant SINCE = Instant.parse("2026-01-15T08:00:00Z");

    private static SinfoNode drained(String name, int alloc) {
        return new SinfoNode(name, 4, alloc, 7976, 0, 0, false, "disk swap", SINCE, true, "root");
    }

    private static SinfoNode idle(String name) {
        return new SinfoNode(name, 4, 0, 7976, 0, false, null, null);
    }

    private static List<String> sinfo(List<SinfoNode> nodes, String... args) throws SlurmUsageException {
        return SinfoFormatTest.sinfo(nodes, args);
    }

    @Test
    void sinfoShowsDrngWhileJobsRunAndDrainOnceEmpty() throws Exception {
        assertEquals(List.of(
                "PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST",
                "batch*       up   infinite      1   drng node01",
                "batch*       up   infinite      1  drain node02",
                "batch*       up   infinite      1   idle node03"),
                sinfo(List.of(drained("node01", 2), drained("node02", 0), idle("node03"))));
        assertEquals(List.of("draining", "drained"), sinfo(List.of(drained("node01", 2), drained("node02", 0)),
                "-h", "-o", "%T"));
        assertEquals(List.of("0/1/2/3"), sinfo(List.of(drained("node01", 2), drained("node02", 0), idle("node03")),
                "-h", "-o", "%F"), "drained nodes count as other");
    }

    @Test
    void stateFiltersPickDrainedNodes() throws Exception {
        List<SinfoNode> nodes = List.of(drained("node01", 2), drained("node02", 0), idle("node03"));
        assertEquals(List.of("node[01-02]"), sinfo(nodes, "-h", "-o", "%N", "-t", "drain"));
        assertEquals(List.of("node01"), sinfo(nodes, "-h", "-o", "%N", "-t", "draining"));
        assertEquals(List.of("node02"), sinfo(nodes, "-h", "-o", "%N", "-t", "drained"));
        assertEquals(List.of("node03"), sinfo(List.of(idle("node03")), "-h", "-o", "%N", "-t", "drain,idle"));
    }

    @Test
    void listReasonsShowsTheDrainWithWhoAndWhen() throws Exception {
        assertEquals(List.of(
                "REASON               USER      TIMESTAMP           NODELIST",
                "disk swap            root      2026-01-15T08:00:00 node02"),
                sinfo(List.of(idle("node01"), drained("node02", 0)), "-R"));
    }

    @Test
    void scontrolShowsTheDrainFlagAndReason() {
        String idle = ScontrolNodeFormat.render(drained("node02", 0), null, List.of(), ZoneOffset.UTC, true);
        assertTrue(idle.contains(" State=IDLE+DRAIN "), idle);
        assertTrue(idle.contains(" Reason=disk swap [root@2026-01-15T08:00:00]"), idle);
        String mixed = ScontrolNodeFormat.render(drained("node02", 2), null, List.of(7L), ZoneOffset.UTC, true);
        assertTrue(mixed.contains(" State=MIXED+DRAIN "), mixed);
        String down = ScontrolNodeFormat.render(new SinfoNode("node02", 4, 0, 7976, 0, 0, true, "disk swap", SINCE,
                true, "root"), null, List.of(), ZoneOffset.UTC, true);
        assertTrue(down.contains(" State=DOWN+DRAIN* "), down);
    }

    @Test
    void updateReadsNodeNameStateAndReason() throws Exception {
        List<String> drain = List.of("NodeName=n[1-2]", "State=DRAIN", "Reason=disk swap");
        assertTrue(ScontrolNodeUpdate.namesNodes(drain));
        assertFalse(ScontrolNodeUpdate.namesNodes(List.of("JobId=4", "TimeLimit=5")));
        assertEquals(new ScontrolNodeUpdate(List.of("n1", "n2"), true, "disk swap"), ScontrolNodeUpdate.parse(drain));
        assertEquals(new ScontrolNodeUpdate(List.of("n1"), false, null),
                ScontrolNodeUpdate.parse(List.of("nodename=n1", "state=resume")));
        assertEquals(new ScontrolNodeUpdate(List.of("n1"), false, null),
                ScontrolNodeUpdate.parse(List.of("NodeName=n1", "State=UNDRAIN")));
    }

    @Test
    void updateRefusesWhatItCannotDo() {
        SlurmUsageException noReason = assertThrows(SlurmUsageException.class,
                () -> ScontrolNodeUpdate.parse(List.of("NodeName=n1", "State=DRAIN")));
        assertEquals(List.of("You must specify a reason when DOWNING or DRAINING a node. Request denied"),
                noReason.lines());
        assertThrows(SlurmUsageException.class,
                () -> ScontrolNodeUpdate.parse(List.of("NodeName=n1", "State=DRAIN", "Reason=  ")));
        SlurmUsageException unknown = assertThrows(SlurmUsageException.class,
                () -> ScontrolNodeUpdate.parse(List.of("NodeName=n1", "State=SLEEP")));
        assertEquals("Invalid input: State=SLEEP", unknown.lines().get(0));
        assertThrows(SlurmUsageException.class,
                () -> ScontrolNodeUpdate.parse(List.of("NodeName=n1", "Weight=5", "State=DRAIN", "Reason=x")));
        assertThrows(SlurmUsageException.class, () -> ScontrolNodeUpdate.parse(List.of("NodeName=n1")));
    }
}
