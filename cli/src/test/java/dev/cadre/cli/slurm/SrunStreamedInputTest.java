package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Inside a job srun forwards a pipe, a socket or a deleted file to the tasks that read its input. */
class SrunStreamedInputTest {
    private static final SrunInput.Source PIPE = SrunInput.Source.of("pipe:[77]", false, false);
    private static final SrunInput.Source PIPE_WITH_DATA = SrunInput.Source.of("pipe:[77]", false, true);
    private static final SrunInput.Source HERE_DOCUMENT = SrunInput.Source.of("/tmp/sh-thd.1 (deleted)", true, false);
    private static final SrunInput.Source FILE = SrunInput.Source.of("/home/a/in.txt", true, false);
    private static final SrunInput.Source TERMINAL = SrunInput.Source.of("/dev/pts/3", false, false);

    @Test
    void aPipeGoesToEveryTaskByDefaultAndToOneTaskWhenNamed() throws Exception {
        for (SrunInput.Source s : new SrunInput.Source[] {PIPE, PIPE_WITH_DATA, HERE_DOCUMENT}) {
            SrunInput.Plan all = SrunInput.parse(null).plan(s, 2, true);
            assertTrue(all.streamsTo(0) && all.streamsTo(1), s.toString());
            assertNull(all.warning());
            assertNull(all.fileOf(0, p -> p), "nothing to open: the input comes through the relay");
            SrunInput.Plan one = SrunInput.parse("1").plan(s, 2, true);
            assertFalse(one.streamsTo(0));
            assertTrue(one.streamsTo(1));
            assertTrue(SrunInput.parse("all").plan(s, 2, true).streamsTo(1));
        }
        assertFalse(SrunInput.parse("none").plan(PIPE_WITH_DATA, 2, true).streamsTo(0));
        assertFalse(SrunInput.parse("in-%t").plan(PIPE_WITH_DATA, 2, true).streamsTo(0));
    }

    @Test
    void aFileIsStillOpenedByPathAndATerminalIsNotForwarded() throws Exception {
        SrunInput.Plan file = SrunInput.parse(null).plan(FILE, 2, true);
        assertFalse(file.streamsTo(0));
        assertEquals("/home/a/in.txt", file.fileOf(1, p -> p));
        assertFalse(SrunInput.parse(null).plan(TERMINAL, 2, true).streamsTo(0));
        assertThrows(SlurmUsageException.class, () -> SrunInput.parse("all").plan(TERMINAL, 2, true));
    }

    @Test
    void whereItCannotForwardAPipeItRefusesItAsBefore() {
        assertTrue(assertThrows(SlurmUsageException.class, () -> SrunInput.parse(null).plan(PIPE_WITH_DATA, 2))
                .getMessage().contains("standard input is a pipe or socket"));
    }
}
