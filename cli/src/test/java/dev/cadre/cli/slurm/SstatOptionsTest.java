package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.slurm.PrintFields.Parsable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sstat's command line as options.c reads it: which steps, which fields, which layout; and its complaints. */
class SstatOptionsTest {

    private static SstatOptions parse(String... args) throws SlurmUsageException {
        return SstatOptions.parse(List.of(args));
    }

    private static List<String> complaint(String... args) {
        return assertThrows(SlurmUsageException.class, () -> parse(args)).lines();
    }

    @Test
    void aJobAloneIsItsBatchStepInSstatsDefaultLayout() throws Exception {
        SstatOptions o = parse("-j", "42");
        assertEquals(List.of(new SstatOptions.Target(new SlurmJobId(42, null), null)), o.targets());
        assertTrue(o.targets().get(0).batch());
        assertEquals(SstatFormat.DEFAULT_FIELDS, o.fields());
        assertEquals(47, o.fields().size(), "STAT_FIELDS");
        assertTrue(o.header());
        assertEquals(Parsable.NO, o.parsable());
        assertFalse(o.pidFormat());
        assertEquals(SacctUnits.EXACT, o.units());
        assertNull(o.help());
    }

    @Test
    void jobsAreACommaListOfJobsAndArrayTasksWithOrWithoutTheirStep() throws Exception {
        List<SstatOptions.Target> t = parse("-j", "42.batch,43_3,,44.BATCH,45.0", "--jobs=46.extern,42.batch")
                .targets();
        assertEquals(List.of("42.batch", "43_3", "44.BATCH", "45.0", "46.extern"),
                t.stream().map(SstatOptions.Target::toString).toList(), "empty entries skipped, repeats once");
        assertEquals(List.of(true, true, true, false, false), t.stream().map(SstatOptions.Target::batch).toList());
        assertEquals(new SlurmJobId(43, 3), t.get(1).job());
    }

    @Test
    void theFirstOperandNamesJobsAsDashJDoes() throws Exception {
        assertEquals(List.of("8", "7"), parse("-j", "8", "7", "9").targets().stream()
                .map(SstatOptions.Target::toString).toList(), "the first operand only, after -j's");
        assertEquals(List.of("7_2.batch"), parse("7_2.batch").targets().stream()
                .map(SstatOptions.Target::toString).toList());
    }

    @Test
    void fieldsComeFromFormatAndPidformatInTheOrderGiven() throws Exception {
        assertEquals(List.of("jobid", "nodelist", "pids"), parse("-i", "-j", "1").fields());
        assertTrue(parse("-i", "-j", "1").pidFormat());
        assertEquals(List.of("AveCPU", "MaxRSS%12", "jobid", "nodelist", "pids", "NTasks"),
                parse("-o", "AveCPU, MaxRSS%12", "--pidformat", "--fields=,NTasks", "-j", "1").fields());
        assertEquals(List.of("JobID"), parse("--format", "JobID", "-j", "1").fields());
    }

    @Test
    void layoutOptions() throws Exception {
        assertEquals(Parsable.TRAILING_BAR, parse("-p", "-j", "1").parsable());
        assertEquals(Parsable.NO_TRAILING_BAR, parse("-P", "-j", "1").parsable());
        assertEquals(Parsable.NO_TRAILING_BAR, parse("-p", "--parsable2", "-j", "1").parsable(), "-P wins");
        assertFalse(parse("-n", "-j", "1").header());
        assertFalse(parse("--noh", "-j", "1").header(), "a long option by an unambiguous prefix");
        assertEquals(new SacctUnits(null, true), parse("--noconvert", "-j", "1").units());
        SstatOptions accepted = parse("-a", "-v", "-vv", "--allsteps", "--verbose", "-j", "1");
        assertEquals(1, accepted.targets().size(), "-a names the same one step; -v changes nothing");
    }

    @Test
    void helpUsageFieldListAndVersionPrintInsteadOfReadingJobs() throws Exception {
        assertEquals(CommandOptions.VERSION, parse("-h", "-V").help(), "-V prints at once");
        assertTrue(parse("-h").help().startsWith("sstat [<OPTION>] -j <job(.stepid)>\n"), parse("-h").help());
        assertEquals(SstatOptions.USAGE, parse("--usage").help());
        assertEquals(SstatFormat.helpFormat(), parse("-h", "-e").help(), "the last of -h, -e and --usage counts");
        assertEquals(SstatOptions.HELP, parse("-e", "--help", "-o", "Bogus").help(), "before fields are checked");
    }

    @Test
    void complaintsAreSstatsLinesAndExitOne() {
        assertEquals(List.of("sstat: invalid option -- 'x'"), complaint("-x"), "getopt's line, no hint after it");
        assertEquals(List.of("sstat: unrecognized option '--bogus'"), complaint("--bogus", "-j", "1"));
        assertEquals(List.of("sstat: option requires an argument -- 'j'"), complaint("-j"));
        assertEquals(List.of("sstat: option '--p' is ambiguous; possibilities: '--pidformat' '--parsable'"
                + " '--parsable2'"), complaint("--p", "-j", "1"));
        assertEquals(List.of("sstat: error: Invalid field requested: \"Bogus\""), complaint("-o", "JobID,Bogus",
                "-j", "1"));
        assertEquals(List.of("sstat: error: You didn't give me any jobs to stat."), complaint());
        assertEquals(List.of("sstat: error: You didn't give me any jobs to stat."), complaint("-j", ","));
        assertEquals(List.of("sstat: error: Invalid field requested: \"Bogus\""), complaint("-o", "Bogus"),
                "fields are checked before jobs");
        assertEquals(List.of("sstat: error: Invalid job id specified: 'abc.batch': a job is 12, an array task 12_3,"
                + " either with a step (12.batch)"), complaint("-j", "1,abc.batch"));
        assertEquals(1, assertThrows(SlurmUsageException.class, () -> parse("-x")).exitCode());
    }
}
