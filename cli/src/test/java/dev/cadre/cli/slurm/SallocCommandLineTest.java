package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** salloc's words: sbatch's allocation options up to the command, the command's own untouched. */
class SallocCommandLineTest extends SbatchFixture {
    @Test
    void theOptionsEndAtTheCommandWhoseWordsAreItsOwn() throws Exception {
        SallocCommandLine line = SallocCommandLine.parse(List.of("-N", "2", "--ntasks=4", "-t", "10", "mpirun",
                "-np", "4", "./a.out", "-N", "1"));
        assertEquals(List.of("-N", "2", "--ntasks=4", "-t", "10"), line.allocation());
        assertEquals(List.of("mpirun", "-np", "4", "./a.out", "-N", "1"), line.command());
        assertNull(line.help());
        SallocCommandLine dashes = SallocCommandLine.parse(List.of("-n1", "--", "-weird", "x"));
        assertEquals(List.of("-n1"), dashes.allocation());
        assertEquals(List.of("-weird", "x"), dashes.command());
        assertEquals(List.of(), SallocCommandLine.parse(List.of("-N1")).command(), "no command: a shell");
    }

    @Test
    void helpAndVersionAreAnswered() throws Exception {
        assertEquals(SallocCommandLine.USAGE, SallocCommandLine.parse(List.of("--help")).help());
        assertEquals(SallocCommandLine.USAGE, SallocCommandLine.parse(List.of("-N1", "--usage")).help());
        assertEquals(CommandOptions.VERSION, SallocCommandLine.parse(List.of("-V")).help());
    }

    @Test
    void sbatchsOptionsThatSallocLacksAndUnknownOnesAreRefusedInSallocsWords() {
        for (String option : List.of("--array=1-3", "-a1-3", "--wrap=true", "-o", "--output=x", "--wait", "-W",
                "--parsable", "--requeue", "--test-only")) {
            SlurmUsageException e = assertThrows(SlurmUsageException.class, () -> SallocCommandLine.parse(List.of(
                    option, "f", "true")), option);
            assertEquals("Try \"salloc --help\" for more information", e.lines().get(1), option);
            assertEquals(true, e.lines().get(0).startsWith("salloc: unrecognized option '--"), e.lines().get(0));
        }
        SlurmUsageException unknown = assertThrows(SlurmUsageException.class, () -> SallocCommandLine.parse(
                List.of("--frobnicate", "true")));
        assertEquals(List.of("salloc: unrecognized option '--frobnicate'", "Try \"salloc --help\" for more information"),
                unknown.lines());
    }

    @Test
    void immediateIsTakenOutOfTheWordsAsGetoptReadsThem() throws Exception {
        SallocCommandLine plain = SallocCommandLine.parse(List.of("-N1", "hostname"));
        assertNull(plain.immediate());
        SallocCommandLine bare = SallocCommandLine.parse(List.of("-N1", "-I", "hostname"));
        assertEquals(1, bare.immediate(), "Slurm's DEFAULT_IMMEDIATE");
        assertEquals(List.of("-N1"), bare.allocation());
        assertEquals(List.of("hostname"), bare.command());
        SallocCommandLine bundled = SallocCommandLine.parse(List.of("-HI30", "-n", "2", "hostname"));
        assertEquals(30, bundled.immediate());
        assertEquals(List.of("-H", "-n", "2"), bundled.allocation());
        assertEquals(7, SallocCommandLine.parse(List.of("--immediate=7", "true")).immediate());
        assertEquals(1, SallocCommandLine.parse(List.of("--imm", "true")).immediate());
        assertEquals(1, SallocCommandLine.parse(List.of("--i", "true")).immediate(), "salloc has no --input");
        SallocCommandLine named = SallocCommandLine.parse(List.of("-J", "-I", "--job-name", "--immediate", "true"));
        assertNull(named.immediate(), "option values are never options");
        assertEquals(List.of("-J", "-I", "--job-name", "--immediate"), named.allocation());
        SallocCommandLine commands = SallocCommandLine.parse(List.of("-N1", "srun", "-I5", "true"));
        assertNull(commands.immediate(), "the command's words are its own");
        assertEquals(List.of("srun", "-I5", "true"), commands.command());
        SallocCommandLine off = SallocCommandLine.parse(List.of("-I0", "true"));
        assertNull(off.immediate(), "0 is no limit");
        assertEquals(null, off.immediateSeconds(Map.of("SALLOC_IMMEDIATE", "9")), "the command line wins");
        assertEquals(List.of("salloc: error: Invalid numeric value \"x\" for immediate."), assertThrows(
                SlurmUsageException.class, () -> SallocCommandLine.parse(List.of("-Ix", "true"))).lines());
        assertEquals(List.of("salloc: invalid option -- 'y'", "Try \"salloc --help\" for more information"),
                assertThrows(SlurmUsageException.class, () -> SallocCommandLine.parse(List.of("-HyI", "true")))
                        .lines());
    }

    @Test
    void sallocImmediateSetsItUnderTheCommandLine() throws Exception {
        SallocCommandLine line = SallocCommandLine.parse(List.of("-N1", "true"));
        assertEquals(9, line.immediateSeconds(Map.of("SALLOC_IMMEDIATE", "9")));
        assertEquals(1, line.immediateSeconds(Map.of("SALLOC_IMMEDIATE", "")));
        assertNull(line.immediateSeconds(Map.of()));
        assertEquals(4, SallocCommandLine.parse(List.of("-I4", "true")).immediateSeconds(Map.of("SALLOC_IMMEDIATE",
                "9")));
        assertEquals(List.of("salloc: error: Invalid numeric value \"later\" for immediate."), assertThrows(
                SlurmUsageException.class, () -> line.immediateSeconds(Map.of("SALLOC_IMMEDIATE", "later"))).lines());
    }

    @Test
    void theSchedulingOptionsReachTheJobAsSbatchReadsThem() throws Exception {
        SallocCommandLine line = SallocCommandLine.parse(List.of("-H", "-d", "afterok:40", "--begin=now+60",
                "--nice=5", "--priority=9", "--signal=USR1@30", "-I5", "hostname"));
        List<String> argv = new ArrayList<>(line.allocation());
        argv.addAll(List.of("--wrap", "true"));
        JobSpec job = SbatchCommandLine.parseSalloc(argv, ENV, CWD, "alice", "login1", CLOCK).spec();
        assertEquals(JobSpec.HOLD_USER, job.hold());
        assertEquals("afterok:40", job.dependency());
        assertEquals(java.time.Instant.parse("2026-03-10T14:31:00Z"), job.beginTime());
        assertEquals(5, job.nice());
        assertEquals(9L, job.priority());
        assertEquals("USR1", job.warningSignal());
        assertEquals(5, line.immediate());
    }
}
