package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** salloc's words: sbatch's allocation options up to the command, the command's own untouched. */
class SallocCommandLineTest {
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
}
