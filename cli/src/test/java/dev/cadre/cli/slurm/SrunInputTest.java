package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** srun -i: Slurm's modes, and what the tasks read for each kind of standard input srun has. */
class SrunInputTest {
    private static final SrunInput.Source FILE = SrunInput.Source.of("/home/a/in.txt", true, false);
    private static final SrunInput.Source PIPE = SrunInput.Source.of("pipe:[77]", false, false);
    private static final SrunInput.Source PIPE_WITH_DATA = SrunInput.Source.of("pipe:[77]", false, true);
    private static final SrunInput.Source TERMINAL = SrunInput.Source.of("/dev/pts/3", false, false);
    private static final SrunInput.Source NULL = SrunInput.Source.of("/dev/null", false, false);

    @Test
    void outsideAJobAPipeOrADeletedFileIsForwardedAsItComesAndAFileTerminalOrNullAreNot() {
        assertTrue(SrunInput.streamed(PIPE.kind()));
        assertTrue(SrunInput.streamed(PIPE_WITH_DATA.kind()));
        assertTrue(SrunInput.streamed(SrunInput.Source.of("/tmp/sh-thd.x (deleted)", true, false).kind()));
        assertFalse(SrunInput.streamed(FILE.kind()), "the job opens a file by its path");
        assertFalse(SrunInput.streamed(TERMINAL.kind()), "a terminal is forwarded under --pty only");
        assertFalse(SrunInput.streamed(NULL.kind()));
    }

    @Test
    void slurmsModesAreReadAsSrunReadsThem() throws Exception {
        assertEquals(SrunInput.Mode.DEFAULT, SrunInput.parse(null).mode());
        assertEquals(SrunInput.Mode.NONE, SrunInput.parse("NONE").mode());
        assertEquals(SrunInput.Mode.ALL, SrunInput.parse("all").mode());
        assertEquals(new SrunInput(SrunInput.Mode.TASK, 3, null), SrunInput.parse("3"));
        assertEquals(new SrunInput(SrunInput.Mode.FILE, 0, "in-%t.txt"), SrunInput.parse("in-%t.txt"));
        assertEquals("3", SrunInput.parse("3").spelled());
        assertNull(SrunInput.parse(null).spelled());
        assertThrows(SlurmUsageException.class, () -> SrunInput.parse("99999999999"));
        assertThrows(SlurmUsageException.class, () -> SrunInput.parse(""));
    }

    @Test
    void whatStandardInputIsComesFromItsProcLink() {
        assertEquals(SrunInput.SourceKind.NULL, NULL.kind());
        assertEquals(SrunInput.SourceKind.TERMINAL, TERMINAL.kind());
        assertEquals(new SrunInput.Source(SrunInput.SourceKind.FILE, "/home/a/in.txt"), FILE);
        assertEquals(SrunInput.SourceKind.DELETED_FILE, SrunInput.Source.of("/tmp/sh-thd.1 (deleted)", true, false)
                .kind());
        assertEquals(SrunInput.SourceKind.STREAM, PIPE.kind());
        assertEquals(SrunInput.SourceKind.STREAM_WITH_DATA, PIPE_WITH_DATA.kind());
        assertEquals(SrunInput.SourceKind.STREAM, SrunInput.Source.of("socket:[9]", false, false).kind());
    }

    @Test
    void aRegularFileIsForwardedToEveryTaskByDefaultAndToOneTaskById() throws Exception {
        SrunInput.Plan all = SrunInput.parse(null).plan(FILE, 3);
        assertEquals(List.of("/home/a/in.txt", "/home/a/in.txt"), List.of(all.fileOf(0, p -> "x"),
                all.fileOf(2, p -> "x")), "not a pattern: % in the file's name stays");
        assertNull(all.warning());
        SrunInput.Plan one = SrunInput.parse("1").plan(FILE, 3);
        assertEquals(java.util.Arrays.asList(null, "/home/a/in.txt", null),
                java.util.Arrays.asList(one.fileOf(0, p -> p), one.fileOf(1, p -> p), one.fileOf(2, p -> p)));
        assertEquals("/home/a/in.txt", SrunInput.parse("all").plan(FILE, 3).fileOf(1, p -> p));
        assertNull(SrunInput.parse("none").plan(FILE, 3).fileOf(0, p -> p));
    }

    @Test
    void aPatternIsEachTasksOwnFileWhateverStandardInputIs() throws Exception {
        SrunInput.Plan plan = SrunInput.parse("in-%t").plan(PIPE_WITH_DATA, 2);
        assertEquals("in-1", plan.fileOf(1, p -> p.replace("%t", "1")));
    }

    @Test
    void aStreamTheTasksWouldReadIsRefusedNamingTheFix() throws Exception {
        String refusal = assertThrows(SlurmUsageException.class, () -> SrunInput.parse(null).plan(PIPE_WITH_DATA,
                2)).getMessage();
        assertTrue(refusal.startsWith("srun: error: srun's default --input=all: standard input is a pipe or socket")
                && refusal.contains("srun ... < FILE") && refusal.contains("--input=none"), refusal);
        assertTrue(assertThrows(SlurmUsageException.class, () -> SrunInput.parse("0").plan(PIPE, 2)).getMessage()
                .startsWith("srun: error: --input=0: standard input is a pipe"));
        assertTrue(assertThrows(SlurmUsageException.class, () -> SrunInput.parse("all").plan(TERMINAL, 2))
                .getMessage().startsWith("srun: error: --input=all: standard input is a terminal"));
        assertTrue(assertThrows(SlurmUsageException.class, () -> SrunInput.parse(null).plan(
                SrunInput.Source.of("/tmp/sh-thd.1 (deleted)", true, false), 2)).getMessage().contains("deleted"));
        assertEquals("srun: error: --input=2: there is no task 2 in a step of 2 tasks", assertThrows(
                SlurmUsageException.class, () -> SrunInput.parse("2").plan(FILE, 2)).getMessage());
    }

    @Test
    void withNothingToForwardTheTasksReadDevNullAndAnEmptyPipeIsSaidSo() throws Exception {
        assertEquals(new SrunInput.Plan(null, false, null, null), SrunInput.parse(null).plan(NULL, 2));
        assertEquals(new SrunInput.Plan(null, false, null, null), SrunInput.parse(null).plan(TERMINAL, 2));
        assertEquals(new SrunInput.Plan(null, false, null, null), SrunInput.parse("none").plan(PIPE_WITH_DATA, 2));
        SrunInput.Plan pipe = SrunInput.parse(null).plan(PIPE, 2);
        assertNull(pipe.fileOf(0, p -> p));
        assertTrue(pipe.warning().startsWith("srun: warning: standard input is a pipe"), pipe.warning());
    }

    @Test
    void srunReadsInputOpenModeAndMultiProg() throws Exception {
        Map<String, String> inJob = Map.of("SLURM_JOB_ID", "4", "SLURM_NTASKS", "2");
        SrunOptions o = SrunOptions.parse(List.of("-i", "in.txt", "--open-mode=Append", "true"), inJob);
        assertEquals(List.of(SrunInput.Mode.FILE, "a"), List.of(o.input().mode(), o.openMode()));
        assertEquals("t", SrunOptions.parse(List.of("--open-mode", "truncate", "true"), inJob).openMode());
        assertTrue(assertThrows(SlurmUsageException.class, () -> SrunOptions.parse(List.of("--open-mode=keep",
                "true"), inJob)).getMessage().startsWith("srun: error: Invalid --open-mode specification"));
        SrunOptions mpmd = SrunOptions.parse(List.of("--multi-prog", "tasks.conf"), inJob);
        assertEquals(List.of(true, List.of("tasks.conf")), List.of(mpmd.multiProg(), mpmd.command()));
        assertTrue(assertThrows(SlurmUsageException.class, () -> SrunOptions.parse(List.of("--multi-prog",
                "tasks.conf", "extra"), inJob)).getMessage().contains("configuration file alone"));
    }
}
