package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * scontrol show job's id, read as scontrol_print_job reads it, and the records it selects as slurmctld's
 * pack_one_job and scontrol's _task_id_in_job do.
 */
class ScontrolJobIdTest {
    private static final Json PENDING = Json.parse("{\"id\":12,\"arrayJobId\":12,\"arrayPending\":\"3-5,9\"}");
    private static final Json TASK = Json.parse("{\"id\":15,\"arrayJobId\":12,\"arrayTaskId\":2}");
    private static final Json PLAIN = Json.parse("{\"id\":20}");

    private static ScontrolJobId id(String text) {
        return ScontrolJobId.parse(text).orElseThrow(() -> new AssertionError(text + " refused"));
    }

    @Test
    void anIdIsReadAsStrtolReadsIt() {
        assertEquals(new ScontrolJobId(12, null, null), id("12"));
        assertEquals(new ScontrolJobId(12, 3L, null), id("12_3"));
        assertEquals(new ScontrolJobId(12, 3L, null), id("0012_03"), "leading zeros, as strtol");
        assertEquals(new ScontrolJobId(12, 0L, null), id("12_"), "no digits after '_' is task 0");
        assertEquals(new ScontrolJobId(12, 3L, null), id("12_3_4"), "what follows is ignored");
        assertEquals(new ScontrolJobId(12, null, 1L), id("12+1"));
        assertEquals(new ScontrolJobId(12, 3L, 0L), id("12_3+"));
        assertFalse(id("1234567890123456789").mayExist(), "past any job id");
        assertTrue(id("12").mayExist());
        assertFalse(id("12_10000000").taskMayExist());
    }

    @Test
    void aCharacterOtherThanDigitsUnderscoreOrPlusIsRefusedBeforeAnythingIsAsked() {
        for (String bad : List.of("12_x", "12_[", "12_[1-3]", "12.0", "x", "-12", "12 ", "12_3x")) {
            assertEquals(Optional.empty(), ScontrolJobId.parse(bad), bad);
        }
    }

    @Test
    void noJobsDigitsOrJobZeroIsEveryJobAsInScontrol() {
        assertEquals(new ScontrolJobId(0, null, null), id("0"));
        assertEquals(new ScontrolJobId(0, null, null), id(""), "strtol reads nothing as 0");
        assertEquals(new ScontrolJobId(0, 3L, null), id("_3"), "task 3 of every array");
        assertEquals(new ScontrolJobId(0, 3L, null), id("000_3"));
        assertEquals(new ScontrolJobId(0, null, 1L), id("+1"));
        assertTrue(id("_3").everyJob());
        assertFalse(id("12").everyJob());
        assertTrue(id("_4").names(PENDING));
        assertTrue(id("_2").names(TASK));
        assertFalse(id("_2").names(PLAIN));
        assertEquals("Job 0_3 not found", id("_3").notFound());
        assertEquals("Job 0+1 not found", id("+1").notFound());
        assertEquals("Job 0 not found", id("0").notFound());
    }

    @Test
    void aTaskNamesTheRecordHoldingItAndShowsAPendingOneAsThatTask() {
        assertTrue(id("12").names(PENDING));
        assertTrue(id("12").names(TASK));
        assertTrue(id("12_4").names(PENDING));
        assertTrue(id("12_9").names(PENDING));
        assertFalse(id("12_6").names(PENDING));
        assertTrue(id("12_2").names(TASK));
        assertFalse(id("12_3").names(TASK));
        assertFalse(id("20_0").names(PLAIN), "a job that is no array has no task 0");
        assertFalse(id("12+0").names(PENDING), "Cadre has no heterogeneous jobs");
        assertEquals(4, id("12_4").shown(PENDING).path("arrayTaskId").asLong());
        assertEquals("3-5,9", id("12_4").shown(PENDING).path("arrayPending").asText());
        assertSame(TASK, id("12_2").shown(TASK));
        assertSame(PENDING, id("12").shown(PENDING));
    }

    @Test
    void whatIsNotFoundIsNamedAsScontrolNamesIt() {
        assertEquals("Job 12_7 not found", id("12_7").notFound());
        assertEquals("Job 12+1 not found", id("12+1").notFound());
        assertEquals("Job 12 not found", id("12").notFound());
    }

    @Test
    void anArraysOtherRecordsComeNewestFirst() {
        assertEquals(List.of(40L, 17L, 15L, 13L), ScontrolJobId.splitOffOrder(List.of(13L, 40L, 15L, 17L)));
    }
}
