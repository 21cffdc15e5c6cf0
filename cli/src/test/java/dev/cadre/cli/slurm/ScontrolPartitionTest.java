package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** scontrol create and update partition, read as update_part.c's scontrol_parse_part_options reads them. */
class ScontrolPartitionTest {

    private static List<String> refused(boolean create, String... args) {
        return assertThrows(SlurmUsageException.class, () -> {
            if (create) {
                ScontrolPartition.create(List.of(args));
            } else {
                ScontrolPartition.update(List.of(args));
            }
        }).lines();
    }

    @Test
    void tagsAreReadByPrefixAndTimesAsTimeStr2mins() throws Exception {
        ScontrolPartition p = ScontrolPartition.create(List.of("PartitionName=debug", "Nodes=n[1-2]",
                "MaxTime=1:30:00", "defaulttime=10", "Default=Y", "State=DR"));
        assertEquals("debug", p.name());
        assertEquals(Map.of("name", "debug", "nodes", "n[1-2]", "maxTimeMinutes", 90L, "defaultTimeMinutes", 10L,
                "default", true, "state", "DRAIN"), p.body());
        assertEquals(Map.of("name", "gpu", "maxTimeMinutes", -1L, "state", "DOWN", "default", false),
                ScontrolPartition.update(List.of("Pa=gpu", "MaxT=UNLIMITED", "St=D", "Default=no")).body());
        assertEquals(Map.of("name", "x", "defaultTimeMinutes", 1441L, "nodes", "ALL"),
                ScontrolPartition.create(List.of("PartitionName=x", "DefaultTime=1-00:00:30", "N=ALL")).body(),
                "seconds round up to a minute");
        assertTrue(ScontrolPartition.namesPartition(List.of("State=UP", "PartitionName=x")));
        assertFalse(ScontrolPartition.namesPartition(List.of("Partition=x", "JobId=3")),
                "a job's Partition= names no partition to update");
    }

    @Test
    void whatIsWrongIsSaidInScontrolsWords() {
        assertEquals(List.of("scontrol: error: PartitionName must be given."), refused(true, "Nodes=ALL"));
        assertEquals(List.of("scontrol: error: PartitionName cannot be \"DEFAULT\"."), refused(true,
                "PartitionName=default"));
        assertEquals(List.of("scontrol: error: No changes specified"), refused(false, "PartitionName=x"));
        assertEquals(List.of("scontrol: error: Invalid input: partition  Request aborted"), refused(true,
                "partition", "PartitionName=x"));
        assertEquals(List.of("scontrol: error: Invalid input MaxTime=soon"), refused(true, "PartitionName=x",
                "MaxTime=soon"));
        assertEquals(List.of("scontrol: error: Invalid input: State=SLEEPY",
                "scontrol: error: Acceptable State values are UP, DOWN, DRAIN and INACTIVE"), refused(false,
                "PartitionName=x", "State=SLEEPY"));
        assertEquals(List.of("scontrol: error: Invalid input: Default=maybe",
                "scontrol: error: Acceptable Default values are YES and NO"), refused(false, "PartitionName=x",
                "Default=maybe"));
        assertEquals(List.of("scontrol: error: Update of this parameter is not supported: Colour=red",
                "scontrol: error: Request aborted"), refused(false, "PartitionName=x", "Colour=red"));
        assertEquals("scontrol: error: MaxNodes= is not supported by this Cadre version: its partitions have nodes,"
                + " Default, MaxTime, DefaultTime and State", refused(false, "PartitionName=x", "maxnodes=4").get(0));
    }
}
