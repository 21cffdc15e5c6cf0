package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.DependencyStatus;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.web.JobSummary;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** squeue's layouts, byte for byte as Slurm's squeue prints them (src/squeue/print.c, opts.c). */
class SqueueFormatTest {
    static final Instant NOW = Instant.parse("2026-03-10T14:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static SqueueJob job(long id, String displayId, String name, String user, JobState state, long elapsed,
            Long limit, int nodes, int cpus, String nodeList, String reason) {
        Instant start = state == JobState.PENDING ? null : NOW.minusSeconds(elapsed);
        return new SqueueJob(id, displayId, null, null, null, null, name, user, state, reason, nodes, cpus, cpus,
                nodeList, limit, NOW.minusSeconds(elapsed + 10), null, start, null, null, null, 0, null, null, true,
                "/home/" + user, state == JobState.PENDING ? 0 : 1, null);
    }

    static SqueueJob ended(long id, JobState state, Integer exit, Long limit, String nodeList) {
        return new SqueueJob(id, Long.toString(id), null, null, null, null, "e", "u", state, null, 1, 1, 1, nodeList,
                limit, NOW, null, NOW, NOW, exit, exit == null ? null : 0, 0, null, null, true, "/w", 1, null);
    }

    static final SqueueJob RUNNING = job(123, "123", "myjob", "alice", JobState.RUNNING, 65, 3600L, 1, 4, "node1",
            null);
    static final SqueueJob PENDING = job(124, "124", "averyverylongname", "bartholomew", JobState.PENDING, 0, null,
            2, 8, null, "Resources");
    static final SqueueJob LONG_RUNNING = job(99, "99", "sim", "carol", JobState.RUNNING, 1047845, 2000000L, 12, 96,
            "node01,node02,node03,node04,node05,node06,node07,node08,node09,node10,node11,node12", null);

    private static List<String> render(String format, List<SqueueJob> jobs, boolean header) {
        return SqueueFormat.render(SqueueFormat.parse(format), jobs, header, CLOCK);
    }

    @Test
    void defaultHeaderMatchesSlurm() {
        assertEquals(List.of("             JOBID PARTITION     NAME     USER ST       TIME  NODES NODELIST(REASON)"),
                render(SqueueFormat.DEFAULT, List.of(), true));
    }

    @Test
    void defaultRows() {
        assertEquals(List.of(
                "             JOBID PARTITION     NAME     USER ST       TIME  NODES NODELIST(REASON)",
                "               123     batch    myjob    alice  R       1:05      1 node1",
                "               124     batch averyver bartholo PD       0:00      2 (Resources)",
                "                99     batch      sim    carol  R 12-03:04:05     12 node[01-12]"),
                render(SqueueFormat.DEFAULT, List.of(RUNNING, PENDING, LONG_RUNNING), true));
    }

    @Test
    void longFormatIsSlurmsFieldListWithItsHeaderCuts() {
        assertEquals(List.of(
                "             JOBID PARTITION     NAME     USER    STATE       TIME TIME_LIMI  NODES NODELIST(REASON)",
                "               123     batch    myjob    alice  RUNNING       1:05   1:00:00      1 node1",
                "               124     batch averyver bartholo  PENDING       0:00 UNLIMITED      2 (Resources)"),
                SqueueFormat.render(SqueueFormat.parseLong(SqueueFormat.LONG), List.of(RUNNING, PENDING), true,
                        CLOCK));
    }

    @Test
    void formatOptionFieldsByNameAreTwentyWideWithoutAWidth() {
        SqueueFormat.Layout layout = SqueueFormat.parseLong("jobid,Name:.6,state:4|");
        assertEquals(List.of("JOBID                 NAMESTAT|", "123                  myjobRUNN|"),
                SqueueFormat.render(layout, List.of(RUNNING), true, CLOCK));
        assertEquals(List.of("Invalid job format specification: bogus"),
                SqueueFormat.parseLong("jobid,bogus").problems());
    }

    @Test
    void noHeader() {
        assertEquals(List.of("123 alice"), render("%i %u", List.of(RUNNING), false));
    }

    @Test
    void leftJustifiedFieldsArePaddedAndCut() {
        assertEquals(List.of("JOBID |NAME      |ST", "123   |myjob     |R ", "124   |averyveryl|PD"),
                render("%6i|%10j|%2t", List.of(RUNNING, PENDING), true));
    }

    @Test
    void headersAreCutLikeValues() {
        assertEquals(List.of("PARTI|NA", "batch|my"), render("%.5P|%2j", List.of(RUNNING), true));
    }

    @Test
    void timesAreCutOnlyWhenLeftJustified() {
        assertEquals(List.of("TIME|TIME|TIME_LIMIT", "1:05|1:05|   1:00:00"),
                render("%.4M|%4M|%.10l", List.of(RUNNING), true));
        assertEquals(List.of("12-03:04:05|12-0|23-03:33:20"),
                render("%.3M|%4M|%.3l", List.of(LONG_RUNNING), false));
    }

    @Test
    void unlimitedIsCutLikeText() {
        assertEquals(List.of("UNLIMITED|UNLIM"), render("%l|%.5l", List.of(PENDING), false));
    }

    @Test
    void nodeListsAreNeverCutButReasonsAre() {
        assertEquals(List.of("NODELIST(REASON)|NODELIST", "node[01-12]|node[01-12]"),
                render("%.3R|%.3N", List.of(LONG_RUNNING), true));
        assertEquals(List.of("(Re|   "), render("%.3R|%.3N", List.of(PENDING), false));
    }

    @Test
    void stateCpuReasonAndNodeListFields() {
        assertEquals(List.of(
                "STATE     CPUS REASON    NODELIST",
                "RUNNING   4    None      node1",
                "PENDING   8    Resources "),
                render("%10T%4C %10r%N", List.of(RUNNING, PENDING), true));
    }

    @Test
    void timesOfDayAreIsoLocalTimeOrNotAvailable() {
        assertEquals(List.of("START_TIME          SUBMIT_TIME         END_TIME",
                "2026-03-10T13:58:55 2026-03-10T13:58:45 2026-03-10T14:58:55",
                "N/A                 2026-03-10T13:59:50 N/A"),
                render("%20S%20V%e", List.of(RUNNING, PENDING), true));
        SqueueJob noLimit = job(1, "1", "x", "u", JobState.RUNNING, 65, null, 1, 1, "n1", null);
        assertEquals(List.of("NONE UNLIMITED", "2026-03-10T14:58:55 58:55"),
                render("%e %L", List.of(noLimit, RUNNING), false));
    }

    @Test
    void arrayIdsAndTasks() {
        SqueueJob pending = new SqueueJob(40, "40_[3-9%2]", 40L, null, "3-9", 2, "sweep", "u", JobState.PENDING,
                "JobArrayTaskLimit", 1, 1, 1, null, null, NOW, null, null, null, null, null, 0, null, null, true,
                "/w", 0, null);
        SqueueJob task = new SqueueJob(41, "40_1", 40L, 1, null, 2, "sweep", "u", JobState.RUNNING, null, 1, 1, 1,
                "n1", null, NOW, null, NOW.minusSeconds(5), null, null, null, 0, null, null, true, "/w", 1, null);
        assertEquals(List.of("40_[3-9%2] 40 40 3-9%2 (JobArrayTaskLimit)", "40_1 41 40 1 n1"),
                render("%i %A %F %K %R", List.of(pending, task), false));
        assertEquals(List.of("40_3", "40_4"), render("%i", List.of(pending.task(3), pending.task(4)), false));
        assertEquals(List.of("123 123 N/A"), render("%i %F %K", List.of(RUNNING), false));
    }

    @Test
    void dependencyIsWhatIsLeftOfItInSlurmsFormAndNullWhenNothingIs() {
        JobSpec spec = JobSpec.builder().name("d").user("u").script("#!/bin/sh\n").dependency("afterok:5?afterany:7")
                .build();
        JobRecord pending = new JobRecord(50, "k", spec, JobState.PENDING, "Dependency", 0, null, false, null, null,
                NOW, null, null);
        DependencyStatus status = DependencyStatus.of(List.of(
                new DependencyStatus.Term("afterok:5_*", DependencyStatus.State.FAILED),
                new DependencyStatus.Term("afterany:7", DependencyStatus.State.UNFULFILLED)), true);
        SqueueJob waiting = SqueueJob.of(Json.parse(MessageCodec.encodeValue(JobSummary.listed(pending, null,
                status))), NOW);
        SqueueJob started = SqueueJob.of(Json.parse(MessageCodec.encodeValue(JobSummary.listed(pending.started(1,
                null, NOW), null))), NOW);
        assertEquals(List.of("50 afterok:5_*(failed)?afterany:7(unfulfilled)", "50 (null)"),
                render("%i %E", List.of(waiting, started), false));
        assertEquals(List.of("DEPENDENCY          ", "afterok:5_*(failed)?"),
                SqueueFormat.render(SqueueFormat.parseLong("dependency"), List.of(waiting), true, CLOCK));
    }

    private static SqueueJob withPriority(SqueueJob j, long priority) {
        return new SqueueJob(j.id(), j.displayId(), j.arrayJobId(), j.arrayTaskId(), j.arrayPending(),
                j.arrayThrottle(), j.name(), j.user(), j.state(), j.reason(), j.nodes(), j.tasks(), j.cpus(),
                j.nodeList(), j.timeLimitSeconds(), j.submitTime(), j.eligibleTime(), j.startTime(), j.endTime(),
                j.exitCode(), j.signal(), j.nice(), priority, j.dependency(), j.requeue(), j.workDir(), j.attempt(),
                j.minMemoryMb());
    }

    @Test
    void priorityIsTheEffectiveOneAndPercentPItsFractionOfSlurmsLargest() {
        SqueueJob computed = withPriority(RUNNING, 1_000_000L);
        SqueueJob fixed = withPriority(RUNNING, 5L);
        SqueueJob held = withPriority(RUNNING, 0L);
        assertEquals(List.of("1000000 0.00023283064371", "5 0.00000000116415", "0 0.00000000000000"),
                render("%Q %p", List.of(computed, fixed, held), false));
        assertEquals(List.of("PRIORITY            PRIORITY", "1000000             0.00023283064371"),
                SqueueFormat.render(SqueueFormat.parseLong("prioritylong,priority"), List.of(computed), true, CLOCK)
                        .stream().map(String::stripTrailing).toList());
        assertEquals("1.00000000000000", SqueueField.normalisedPriority(4_294_967_295L));
    }

    @Test
    void failedAndTimedOutJobsShowWhyEndedOnesTheirNodes() {
        SqueueJob failed = ended(5, JobState.FAILED, 3, null, "n1");
        SqueueJob timeout = ended(6, JobState.TIMEOUT, null, 60L, "n1");
        SqueueJob done = ended(7, JobState.COMPLETED, 0, null, "n1,n2");
        assertEquals(List.of("(NonZeroExitCode)", "(TimeLimit)", "n[1-2]"),
                render("%R", List.of(failed, timeout, done), false));
    }

    @Test
    void literalTextIsKept() {
        assertEquals(List.of("id=JOBID (NAME) by USER!", "id=123 (myjob) by alice!"),
                render("id=%i (%j) by %u!", List.of(RUNNING), true));
        assertEquals(List.of("just text", "just text"), render("just text", List.of(RUNNING), true));
    }

    @Test
    void repeatedPercentSignsPrintNothing() {
        assertEquals(List.of("123 myjob"), render("%%i %%j", List.of(RUNNING), false));
    }

    @Test
    void unknownLettersArePrintedAsWritten() {
        assertEquals(List.of("JOBID %5@ end", "123 %5@ end"), render("%i %5@ end", List.of(RUNNING), true));
        assertEquals(List.of("Invalid job format specification: @"), SqueueFormat.parse("%i %5@ end").problems());
        assertEquals(List.of(), SqueueFormat.parse(SqueueFormat.DEFAULT).problems());
    }

    @Test
    void fieldsCadreHasNoValueForAreNotAvailable() {
        assertEquals(List.of("ACCOUNT QOS", "N/A     normal"), render("%-8a%q", List.of(RUNNING), true));
    }

    /** %m: the memory asked for, per CPU or else per node, as convert_num_unit prints it; 0 when none was. */
    @Test
    void minMemoryIsTheJobsRequest() {
        SqueueJob perNode = SqueueJob.of(dev.cadre.cli.wire.Json.parse("{\"id\": 5, \"state\": \"PENDING\","
                + " \"memoryMb\": 4096}"));
        SqueueJob perCpu = SqueueJob.of(dev.cadre.cli.wire.Json.parse("{\"id\": 6, \"state\": \"PENDING\","
                + " \"memoryMb\": 8000, \"memoryPerCpuMb\": 2000}"));
        assertEquals(List.of("MIN_MEMORY", "4G", "2000M", "0"),
                render("%m", List.of(perNode, perCpu, RUNNING), true).stream().map(String::trim).toList());
    }

    @Test
    void aNameIsCutBetweenCharactersAndPaddedByWhatItShows() {
        // Each rocket is one character of two Java chars: eight of them fill %.8j, and a cut never splits one.
        SqueueJob rockets = job(7, "7", "\uD83D\uDE80".repeat(9), "alice", JobState.RUNNING, 1, null, 1, 1, "node1",
                null);
        SqueueJob accented = job(8, "8", "r\u00e9sum\u00e9", "alice", JobState.RUNNING, 1, null, 1, 1, "node1", null);
        assertEquals(List.of("\uD83D\uDE80".repeat(8) + "|", "  r\u00e9sum\u00e9|"),
                render("%.8j|", List.of(rockets, accented), false));
        assertEquals(List.of("\uD83D\uDE80".repeat(3) + "|"), render("%3j|", List.of(rockets), false));
    }
}
