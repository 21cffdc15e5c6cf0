package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** sacct's options: whose jobs, which window, which fields; and its complaints. */
class SacctOptionsTest {
    private static final Instant NOW = Instant.parse("2026-03-10T14:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Instant MIDNIGHT = Instant.parse("2026-03-10T00:00:00Z");

    private static SacctOptions parse(String me, String... args) throws SlurmUsageException {
        return SacctOptions.parse(List.of(args), me, CLOCK);
    }

    @Test
    void withoutJobsTheWindowIsTodayAndTheJobsTheCallers() throws Exception {
        SacctOptions o = parse("alice");
        assertEquals(MIDNIGHT, o.from());
        assertEquals(NOW, o.to());
        assertEquals(Set.of("alice"), o.users());
        assertNull(parse("root").users(), "root sees everyone's");
        assertNull(parse("alice", "-a").users());
        assertEquals(Set.of("bob"), parse("alice", "-u", "bob").users());
        assertEquals(SacctFormat.DEFAULT_FIELDS, o.fields());
        assertTrue(o.steps());
        assertFalse(parse("alice", "-X").steps());
    }

    @Test
    void namedJobsHaveNoWindowUnlessOneIsGiven() throws Exception {
        SacctOptions o = parse("alice", "-j", "7,8_2,9.batch");
        assertEquals(List.of(new SlurmJobId(7, null), new SlurmJobId(8, 2), new SlurmJobId(9, null)), o.jobs());
        assertNull(o.from());
        assertNull(o.users(), "a job named is shown whoever's it is");
        assertEquals(List.of(new SlurmJobId(8, 1), new SlurmJobId(8, 2), new SlurmJobId(8, 5),
                new SlurmJobId(9, null)), parse("alice", "-j", "8_[1-2,5].batch,9").jobs());
        assertEquals(Instant.parse("2026-03-09T00:00:00Z"), parse("alice", "-j", "7", "-S", "2026-03-09").from());
    }

    @Test
    void timesInSlurmsFormsAndAStateFilterStartsNow() throws Exception {
        assertEquals(Instant.parse("2026-03-10T13:30:00Z"), parse("a", "-S", "now-1hour").from());
        assertEquals(Instant.parse("2026-03-10T08:00:00Z"), parse("a", "-S", "08:00").from());
        assertEquals(Instant.parse("2026-03-09T16:00:00Z"), parse("a", "--starttime=16:00").from(),
                "a time of day still to come today means yesterday's");
        assertEquals(Instant.parse("2026-03-10T12:00:00Z"), parse("a", "-E", "noon").to());
        assertEquals(Instant.parse("2025-12-24T00:00:00Z"), parse("a", "-S", "1224").from());
        assertEquals(NOW, parse("a", "-s", "CD").from());
        assertEquals(Set.of(JobState.COMPLETED), parse("a", "-s", "CD").states());
    }

    @Test
    void fieldsAndOutputForms() throws Exception {
        assertEquals(List.of("JobID", "State", "exit"), parse("a", "-o", "JobID,State", "--format=exit").fields());
        assertEquals(SacctFormat.BRIEF_FIELDS, parse("a", "-b").fields());
        assertEquals(PrintFields.Parsable.NO_TRAILING_BAR, parse("a", "-P").parsable());
        assertEquals(PrintFields.Parsable.TRAILING_BAR, parse("a", "-p").parsable());
        assertEquals("|", parse("a", "-P").delimiter());
        assertEquals(",", parse("a", "-P", "--delimiter=,").delimiter());
        assertEquals("::", parse("a", "--delimiter", "::", "-p").delimiter());
        assertFalse(parse("a", "-n").header());
        assertTrue(parse("a", "-e").help().startsWith("Account             AdminComment"));
    }

    @Test
    void sacctsComplaints() {
        assertEquals("Invalid time specification (pos=0): yesterdayish", assertThrows(SlurmUsageException.class,
                () -> parse("a", "-S", "yesterdayish")).getMessage());
        assertEquals("sacct: error: Invalid field requested: \"Bogus\"", assertThrows(SlurmUsageException.class,
                () -> parse("a", "-o", "JobID,Bogus")).getMessage());
        assertEquals("sacct: fatal: Bad job/step specified: x1", assertThrows(SlurmUsageException.class,
                () -> parse("a", "-j", "x1")).getMessage());
    }

    @Test
    void unitsAndNoconvertAreReadAsSacctReadsThem() throws Exception {
        assertEquals(SacctUnits.EXACT, parse("a").units());
        assertEquals(new SacctUnits(2, false), parse("a", "--units=M").units());
        assertEquals(new SacctUnits(1, true), parse("a", "--units", "kilo", "--noconvert").units(),
                "by its first letter, in either case");
        assertEquals(new SacctUnits(null, true), parse("a", "--noconvert").units());
        assertEquals(List.of("sacct: error: Invalid unit type 'x'. Possible options are 'KMGTP'",
                "sacct: fatal: Invalid unit type"), assertThrows(SlurmUsageException.class,
                () -> parse("a", "--units=x")).lines());
        assertTrue(parse("a", "--help").help().contains("--units=[KMGTP]"));
    }

    @Test
    void aJobIsSelectedWhenItWasInTheSystemDuringTheWindow() throws Exception {
        SacctOptions today = parse("root");
        Instant yesterday = MIDNIGHT.minusSeconds(3600);
        assertTrue(today.selects("u", "n", JobState.RUNNING, List.of(), yesterday, null), "still running");
        assertTrue(today.selects("u", "n", JobState.COMPLETED, List.of(), yesterday, MIDNIGHT.plusSeconds(1)));
        assertFalse(today.selects("u", "n", JobState.COMPLETED, List.of(), yesterday, MIDNIGHT.minusSeconds(1)));
        assertFalse(parse("root", "-N", "n[3-4]").selects("u", "n", JobState.RUNNING, List.of("n1"), NOW, null));
        assertTrue(parse("root", "--name", "n").selects("u", "n", JobState.RUNNING, List.of("n1"), NOW, null));
    }

    @Test
    void endTimeNowTakesAJobSubmittedEarlierInThisSecond() throws Exception {
        Clock midSecond = Clock.fixed(NOW.plusMillis(700), ZoneOffset.UTC);
        SacctOptions snakemake = SacctOptions.parse(List.of("-X", "--starttime", "now-2days", "--endtime", "now",
                "--name", "n"), "root", midSecond, java.util.Map.of());
        assertTrue(snakemake.selects("u", "n", JobState.COMPLETED, List.of(), NOW.plusMillis(300),
                NOW.plusMillis(600)));
        assertFalse(snakemake.selects("u", "n", JobState.PENDING, List.of(), NOW.plusSeconds(1), null));
    }

    @Test
    void sacctFormatStandsForFormatWhenNeitherItNorBriefOrLongIsGiven() throws SlurmUsageException {
        // A site's module file sets it so (Compute Canada's), widths and all.
        Map<String, String> env = Map.of("SACCT_FORMAT", "Account,User,JobID,Start,End,AllocCPUS,Elapsed,"
                + "AllocTRES%30,CPUTime,AveRSS,MaxRSS,MaxRSSTask,MaxRSSNode,NodeList,ExitCode,State%20");
        assertEquals(List.of("Account", "User", "JobID", "Start", "End", "AllocCPUS", "Elapsed", "AllocTRES%30",
                "CPUTime", "AveRSS", "MaxRSS", "MaxRSSTask", "MaxRSSNode", "NodeList", "ExitCode", "State%20"),
                SacctOptions.parse(List.of(), "alice", CLOCK, env).fields());
        assertEquals(List.of("JobID", "State"), SacctOptions.parse(List.of("-o", "JobID,State"), "alice", CLOCK,
                env).fields());
        assertEquals(SacctFormat.BRIEF_FIELDS, SacctOptions.parse(List.of("-b"), "alice", CLOCK, env).fields());
        assertEquals(SacctFormat.LONG_FIELDS, SacctOptions.parse(List.of("-l"), "alice", CLOCK, env).fields());
        assertEquals(List.of("JobID", "Elapsed"), SacctOptions.parse(List.of(), "alice", CLOCK,
                Map.of("SACCT_FORMAT", " JobID, ,Elapsed,")).fields());
        assertEquals(SacctFormat.DEFAULT_FIELDS, SacctOptions.parse(List.of(), "alice", CLOCK,
                Map.of("SACCT_FORMAT", "")).fields(), "an empty one is none");
        SlurmUsageException bad = assertThrows(SlurmUsageException.class, () -> SacctOptions.parse(List.of(),
                "alice", CLOCK, Map.of("SACCT_FORMAT", "JobID,Colour")));
        assertTrue(bad.lines().toString().contains("Colour"), bad.lines().toString());
    }
}
