package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.FairShare;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * sprio's table from jobs as GET /api/jobs gives them: Cadre's priority as a site factor of 1,000,000, an age factor
 * of a point a minute up to a week, and the nice value; a fixed priority alone, as Slurm's direct priority.
 */
class SprioFormatTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final List<Json> API = List.of(
            job("{\"id\":12,\"user\":\"ann\",\"state\":\"PENDING\",\"submitTime\":\"2026-01-01T11:30:00Z\"}"),
            job("{\"id\":13,\"user\":\"ann\",\"state\":\"PENDING\",\"submitTime\":\"2026-01-01T11:00:00Z\","
                    + "\"nice\":100}"),
            job("{\"id\":14,\"user\":\"bob\",\"state\":\"PENDING\",\"submitTime\":\"2026-01-01T10:00:00Z\","
                    + "\"nice\":7,\"priority\":5000}"),
            job("{\"id\":15,\"user\":\"bob\",\"state\":\"REQUEUED\",\"submitTime\":\"2025-12-24T12:00:00Z\"}"),
            job("{\"id\":16,\"user\":\"ann\",\"state\":\"PENDING\",\"submitTime\":\"2026-01-01T11:00:00Z\","
                    + "\"hold\":\"user\"}"),
            job("{\"id\":17,\"user\":\"ann\",\"state\":\"PENDING\",\"submitTime\":\"2026-01-01T11:00:00Z\","
                    + "\"beginTime\":\"2026-01-01T13:00:00Z\"}"),
            job("{\"id\":18,\"user\":\"ann\",\"state\":\"RUNNING\",\"submitTime\":\"2026-01-01T11:00:00Z\","
                    + "\"startTime\":\"2026-01-01T11:01:00Z\"}"));

    private static Json job(String text) {
        return Json.parse(text);
    }

    private static List<String> sprio(String... args) throws SlurmUsageException {
        return sprio(FairShare.NONE, args);
    }

    /** sprio's lines with the users' fair-share usage and the head's weight as GET /api/shares gives them. */
    private static List<String> sprio(FairShare shares, String... args) throws SlurmUsageException {
        SprioOptions o = SprioOptions.parse(List.of(args), Map.of());
        List<SprioJob> jobs = new ArrayList<>();
        for (Json j : API) {
            if (SprioJob.listed(j, NOW) && o.picks(SprioJob.of(j, NOW, shares))) {
                jobs.add(SprioJob.of(j, NOW, shares));
            }
        }
        return SprioFormat.render(o, jobs, shares.weight());
    }

    /** ann used three quarters of the cluster, bob a quarter: factors 2^-1.5 and 2^-0.5 of two equal shares. */
    private static final FairShare SHARES = new FairShare(100_000, Map.of("ann", 3000.0, "bob", 1000.0));

    @Test
    void aFairShareWeightAddsTheFairshareColumnWithEachUsersPoints() throws Exception {
        assertEquals(List.of(
                "          JOBID PARTITION   PRIORITY       SITE        AGE  FAIRSHARE",
                "             12 batch        1035385    1000000         30      35355",
                "             13 batch        1035315    1000000         60      35355",
                "             14 batch           5000          0          0          0",
                "             15 batch        1080791    1000000      10080      70711"), sprio(SHARES),
                "the weight times 2^-(usage/total)/(1/users), rounded, added to a computed priority only");
        assertEquals(List.of(
                "          JOBID PARTITION   PRIORITY       SITE        AGE  FAIRSHARE",
                "        Weights                               1      10080     100000"), sprio(SHARES, "-w"));
        assertEquals(List.of("15", "12", "13", "14"), ids(sprio(SHARES, "-h", "-S", "-y")));
        assertEquals(List.of("12 0.3535500", "15 0.7071100"), sprio(SHARES, "-h", "-j12,15", "-o", "%i %f"),
                "normalised: the points over the weight");
        assertEquals(List.of(
                "          JOBID PARTITION PRIORITY   AGE        FAIRSHARE ",
                "             12 batch     0.00024106 0.0029762  0.3535500 "), sprio(SHARES, "-n", "-j12"));
    }

    @Test
    void pendingJobsByIdWithTheFactorsOfNonZeroWeight() throws Exception {
        assertEquals(List.of(
                "          JOBID PARTITION   PRIORITY       SITE        AGE",
                "             12 batch        1000030    1000000         30",
                "             13 batch         999960    1000000         60",
                "             14 batch           5000          0          0",
                "             15 batch        1010080    1000000      10080"), sprio(),
                "held, not yet eligible and running jobs are not listed; a week's age at most; a fixed priority"
                        + " alone; nice is taken off but not a default column");
    }

    @Test
    void sortedHighestPriorityFirstAsTheSchedulerConsidersThem() throws Exception {
        assertEquals(List.of("15", "12", "13", "14"), ids(sprio("-h", "-S", "-y")));
        assertEquals(List.of("15", "13", "12", "14"), ids(sprio("-h", "-S", "-A")));
        assertEquals(List.of("12", "14", "15", "13"), ids(sprio("-h", "-S", "N,i")), "by nice, then id");
        assertEquals(List.of("15", "14", "13", "12"), ids(sprio("-h", "-S", "-u,-i")), "by user, then id, each descending");
    }

    private static List<String> ids(List<String> lines) {
        return lines.stream().map(l -> l.strip().split(" +")[0]).toList();
    }

    @Test
    void weightsAreThoseOfCadresRule() throws Exception {
        assertEquals(List.of(
                "          JOBID PARTITION   PRIORITY       SITE        AGE",
                "        Weights                               1      10080"), sprio("-w"));
        assertEquals(List.of("Weights 0 0 0 0 0 1 10080"), sprio("-w", "-h", "-o", "%i %B %F %J %P %Q %S %A"));
    }

    @Test
    void normalisedAsSprioComputesThem() throws Exception {
        assertEquals(List.of(
                "          JOBID PARTITION PRIORITY   AGE       ",
                "             12 batch     0.00023283 0.0029762 ",
                "             13 batch     0.00023282 0.0059524 ",
                "             14 batch     5000.00000 0         ",
                "             15 batch     0.00023517 1.0000000 "), sprio("-n"));
        assertEquals(List.of("0.00023283762 0.0000000 0.0000000"), sprio("-h", "-j12", "-o", "%.13y %b %f"));
    }

    @Test
    void longShowsEveryFactorTheUserAndTheNice() throws Exception {
        List<String> lines = sprio("-l", "-u", "ann,bob", "-j13,14");
        assertEquals("          JOBID PARTITION     USER  ACCOUNT   PRIORITY       SITE        AGE      ASSOC"
                + "  FAIRSHARE    JOBSIZE  PARTITION    QOSNAME        QOS        NICE                 TRES",
                lines.get(0));
        assertEquals("             13 batch          ann   (null)     999960    1000000         60          0"
                + "          0          0          0     normal          0         100                     ",
                lines.get(1));
        assertEquals("             14 batch          bob   (null)       5000          0          0          0"
                + "          0          0          0     normal          0           0                     ",
                lines.get(2));
        assertEquals(3, lines.size());
    }

    @Test
    void usersAddTheirColumnAndAPrefixAndSuffixesPrint() throws Exception {
        assertEquals(List.of("          JOBID PARTITION     USER   PRIORITY       SITE        AGE",
                "             14 batch          bob       5000          0          0",
                "             15 batch          bob    1010080    1000000      10080"), sprio("-u", "bob"));
        assertEquals(List.of("job=12 nice=0 prio=1000030;"), sprio("-h", "-j", "12", "-o", "job=%i nice=%N prio=%Y;"));
        assertEquals(List.of("j13   |ann"), sprio("-h", "-j13", "-o", "j%5i|%.3u"));
    }

    @Test
    void jobsNamedThatAreNotPendingAreNotFoundAsSprioSays() throws Exception {
        assertEquals(List.of("Unable to find jobs matching user/id(s) specified"), sprio("-j", "16,17,18,99"));
        assertEquals(List.of("          JOBID PARTITION   PRIORITY       SITE        AGE"), sprio("-p", "other"),
                "no list named: the header alone");
        assertTrue(sprio("-u", "nobody").size() == 1);
        assertFalse(SprioJob.listed(API.get(4), NOW), "held");
    }
}
