package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** seff's command line as Perl's Getopt::Std getopts("hvdf:") reads it, and the job it names. */
class SeffCommandLineTest {
    @Test
    void optionsStopAtTheFirstOperandOrDoubleDashAndBundle() {
        SeffCommandLine line = SeffCommandLine.parse(List.of("-dh", "12", "-v"));
        assertTrue(line.debug() && line.help());
        assertFalse(line.version(), "an option after the job id is an operand");
        assertEquals(List.of("12", "-v"), line.operands());
        assertEquals(List.of("-d"), SeffCommandLine.parse(List.of("--", "-d")).operands());
        assertEquals(List.of("-"), SeffCommandLine.parse(List.of("-", "")).operands().subList(0, 1));
    }

    @Test
    void minusFTakesAValueAttachedOrTheNextWord() {
        assertEquals(List.of("12"), SeffCommandLine.parse(List.of("-f", "x", "12")).operands());
        assertEquals(List.of("12"), SeffCommandLine.parse(List.of("-dfx", "12")).operands());
        assertTrue(SeffCommandLine.parse(List.of("-dfx", "12")).debug());
    }

    @Test
    void anUnknownLetterIsWarnedOfAndSkipped() {
        SeffCommandLine line = SeffCommandLine.parse(List.of("-xd", "-q", "12"));
        assertEquals(List.of("Unknown option: x", "Unknown option: q"), line.warnings());
        assertTrue(line.debug());
        assertEquals(List.of("12"), line.operands());
        assertTrue(SeffCommandLine.parse(List.of("--help")).help());
        assertTrue(SeffCommandLine.parse(List.of("--version")).version());
    }

    @Test
    void theJobIsAnIdATaskAStepOrTheFirstOfAList() throws Exception {
        assertEquals(new SlurmJobId(12, null), SeffCommandLine.job("12"));
        assertEquals(new SlurmJobId(12, 3), SeffCommandLine.job("12_3"));
        assertEquals(new SlurmJobId(12, null), SeffCommandLine.job("12.batch"));
        assertEquals(new SlurmJobId(12, 1), SeffCommandLine.job("12_[1-3],14"));
        assertEquals(List.of("seff: fatal: Bad job/step specified: abc"),
                assertThrows(SlurmUsageException.class, () -> SeffCommandLine.job("abc")).lines());
        assertEquals(List.of("seff: fatal: Bad job/step specified: 12_[3-1]: the task list '3-1' ends before it"
                + " starts"), assertThrows(SlurmUsageException.class, () -> SeffCommandLine.job("12_[3-1]")).lines());
        assertThrows(SlurmUsageException.class, () -> SeffCommandLine.job(""));
    }
}
