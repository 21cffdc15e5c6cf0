package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** squeue's options and the jobs they let through, as squeue reads them. */
class SqueueOptionsTest {
    private static final Instant NOW = SqueueFormatTest.NOW;

    private static SqueueOptions parse(String... args) throws SlurmUsageException {
        return SqueueOptions.parse(List.of(args), Map.of(), "alice");
    }

    private static String error(String... args) {
        return String.join("\n", assertThrows(SlurmUsageException.class, () -> parse(args)).lines());
    }

    @Test
    void defaultsAreSlurms() throws Exception {
        SqueueOptions o = parse();
        assertEquals(SqueueFormat.parse(SqueueFormat.DEFAULT), o.layout());
        assertTrue(o.header());
        assertEquals(EnumSet.of(JobState.PENDING, JobState.RUNNING, JobState.COMPLETING, JobState.REQUEUED,
                JobState.SUSPENDED),
                o.states());
        assertEquals("P,t,-p", o.sort());
        assertNull(o.jobs());
        assertNull(o.users());
    }

    @Test
    void jobsUsersStatesAndMe() throws Exception {
        SqueueOptions o = parse("-j", "12,13_4", "-u", "bob,carol", "-t", "pd,R", "-h");
        assertEquals(List.of(new SlurmJobId(12, null), new SlurmJobId(13, 4)), o.jobs());
        assertEquals(Set.of("bob", "carol"), o.users());
        assertEquals(EnumSet.of(JobState.PENDING, JobState.RUNNING), o.states());
        assertFalse(o.header());
        assertEquals(Set.of("alice"), parse("--me").users());
        assertEquals(List.of(new SlurmJobId(7, null)), parse("--jobs", "7").jobs());
        assertEquals(List.of(new SlurmJobId(7, null)), parse("-j", "7").jobs(), "-j takes the next word");
        assertEquals(EnumSet.allOf(JobState.class), parse("-t", "all").states());
        assertEquals(Set.of(JobState.SUSPENDED), parse("-t", "SUSPENDED").states());
        assertEquals(Set.of(JobState.SUSPENDED), parse("-t", "s").states(), "squeue's compact code");
        assertEquals(Set.of(), parse("-t", "PREEMPTED").states(), "a Slurm state no Cadre job is in");
    }

    @Test
    void anUnknownFieldIsSqueuesErrorWithItsPrefix() throws Exception {
        assertEquals(List.of("squeue: error: Invalid job format specification: bogusfield"),
                parse("-O", "jobid,bogusfield").notes());
        assertEquals(List.of("squeue: error: Invalid job format specification: @"), parse("-o", "%i %@").notes());
        assertEquals(List.of(), parse("-O", "jobid").notes());
    }

    @Test
    void taskListsNameEachTask() throws Exception {
        assertEquals(List.of(new SlurmJobId(11, 7), new SlurmJobId(11, 8), new SlurmJobId(11, 20),
                new SlurmJobId(12, null)), parse("-j", "11_[7-8,20],12").jobs());
        assertEquals("squeue: error: Invalid job id: 11_[8-7]: the task list '8-7' ends before it starts",
                error("-j", "11_[8-7]"));
    }

    @Test
    void environmentVariablesAreDefaults() throws Exception {
        SqueueOptions o = SqueueOptions.parse(List.of(), Map.of("SQUEUE_FORMAT", "%i %T", "SQUEUE_SORT", "i",
                "SQUEUE_USERS", "dan", "SQUEUE_STATES", "PD"), "alice");
        assertEquals(SqueueFormat.parse("%i %T"), o.layout());
        assertEquals("i", o.sort());
        assertEquals(Set.of("dan"), o.users());
        assertEquals(EnumSet.of(JobState.PENDING), o.states());
        assertEquals(SqueueFormat.parse("%j"), SqueueOptions.parse(List.of("-o", "%j"), Map.of("SQUEUE_FORMAT",
                "%i"), "a").layout(), "the command line wins");
    }

    @Test
    void slurmsComplaints() {
        assertEquals("squeue: error: Invalid job id: 12x", error("-j", "12x"));
        assertEquals("squeue: error: Invalid job state specified: running2\nsqueue: error: Valid job states include: "
                + SlurmStates.VALID_JOB_STATES, error("-t", "running2"));
        assertEquals("squeue: error: -O (--Format) is incompatible with -o (--format)", error("-o", "%i", "-O",
                "jobid"));
        assertTrue(error("-o", "%i", "-l").startsWith("squeue: fatal: Options -o(--format) and -l(--long)"));
        assertTrue(error("extra").startsWith("squeue: error: Unrecognized option: extra\nUsage: squeue"));
        assertEquals("squeue: error: Invalid sort specification: !", assertThrows(SlurmUsageException.class,
                () -> SqueueOrder.sort(List.of(SqueueFormatTest.RUNNING), "!", NOW)).getMessage());
    }

    @Test
    void filtersAndHowLongEndedJobsAreShown() throws Exception {
        SqueueJob done = SqueueFormatTest.ended(9, JobState.COMPLETED, 0, null, "n1");
        assertFalse(parse().shows(done, NOW), "ended jobs are not shown by default");
        assertTrue(parse("-t", "all").shows(done, NOW.plusSeconds(300)));
        assertFalse(parse("-t", "all").shows(done, NOW.plusSeconds(301)), "squeue forgets them after 300 s");
        assertTrue(parse("-w", "node[0-2]").shows(SqueueFormatTest.RUNNING, NOW));
        assertFalse(parse("-w", "node2").shows(SqueueFormatTest.RUNNING, NOW));
        assertTrue(parse("-n", "MYJOB").shows(SqueueFormatTest.RUNNING, NOW), "names match without case");
        assertFalse(parse("-p", "gpu").shows(SqueueFormatTest.RUNNING, NOW));
        assertTrue(parse("-p", "gpu,batch").shows(SqueueFormatTest.RUNNING, NOW));
        assertTrue(parse("-j", "123").shows(SqueueFormatTest.RUNNING, NOW));
        assertFalse(parse("-j", "124").shows(SqueueFormatTest.RUNNING, NOW));
    }

    @Test
    void aTaskIsFoundInAPendingSetLongerThanAnyRequest() throws Exception {
        SqueueJob array = SqueueLinesTest.pending(50, SqueueLinesTest.everyThirdHeldApart(), 5);
        assertTrue(parse("-j", "50_99998").shows(array, NOW));
        assertFalse(parse("-j", "50_99999").shows(array, NOW), "held apart: in another part of the array");
    }

    @Test
    void theDefaultOrderIsStateThenNewestStartThenId() throws Exception {
        SqueueJob older = SqueueFormatTest.job(50, "50", "a", "u", JobState.RUNNING, 500, null, 1, 1, "n1", null);
        SqueueJob newer = SqueueFormatTest.job(60, "60", "b", "u", JobState.RUNNING, 5, null, 1, 1, "n1", null);
        SqueueJob waiting1 = SqueueFormatTest.job(70, "70", "c", "u", JobState.PENDING, 0, null, 1, 1, null, "P");
        SqueueJob waiting2 = SqueueFormatTest.job(71, "71", "d", "u", JobState.PENDING, 0, null, 1, 1, null, "P");
        assertEquals(List.of(waiting1, waiting2, newer, older), SqueueOrder.sort(List.of(older, waiting2, newer,
                waiting1), SqueueOrder.DEFAULT, NOW));
        assertEquals(List.of(older, newer, waiting1, waiting2), SqueueOrder.sort(List.of(waiting2, newer, older,
                waiting1), "i", NOW));
        assertEquals(List.of(waiting2, waiting1, newer, older), SqueueOrder.sort(List.of(older, newer, waiting1,
                waiting2), "-i", NOW));
    }
}
