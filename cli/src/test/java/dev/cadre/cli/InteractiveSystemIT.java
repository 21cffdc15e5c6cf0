package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * srun and salloc at the user's own terminal or pipe, through bin/ as a user runs them: srun --pty and salloc's shell
 * under a real pseudo-terminal (util-linux's script, fed from a pipe as a user's keys), and srun with piped input,
 * each run from here in a job that holds the nodes; the command's exit is the command's, and the job ends with it.
 * A resize of the local terminal (stty rows/cols from a process of its own, as a window manager's resize does)
 * reaches the remote pseudo-terminal, whose command gets SIGWINCH and sees the new size, also through srun --pty
 * inside salloc's shell.
 */
class InteractiveSystemIT {
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "4");

    private record Run(int exit, String output) {
    }

    /** Runs the bash line in the work directory, bin/ first on PATH, output and errors together. */
    private static Run bash(String line) throws Exception {
        CadreProcess cadre = HEAD.cadre();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).directory(cadre.workDir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("CADRE_CONFIG", cadre.dataDir.resolve("client.json").toString());
        pb.environment().put("PATH", CadreProcess.ROOT.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("SHELL", "/bin/bash");
        pb.environment().put("TERM", "xterm");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("did not end within 120 s: " + line);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // script writes its terminal's EOF when its own input (the pipe here) ends, mostly before srun has made that
        // terminal raw, which once turned it into a NUL that srun sent on and the command's terminal echoed as "^@".
        assertFalse(output.contains("\0") || output.contains("^@"), "a NUL reached the terminal: " + output);
        return new Run(p.exitValue(), output);
    }

    /** The job the command ran in, from its line "job=N". */
    private static long job(Run run) {
        Matcher m = Pattern.compile("job=(\\d+)").matcher(run.output());
        assertTrue(m.find(), run.output());
        return Long.parseLong(m.group(1));
    }

    private static void assertEnded(long id, String state, String exit) throws Exception {
        CadreProcess cadre = HEAD.cadre();
        CadreProcess.await("job " + id + " to end", Duration.ofSeconds(30), () -> {
            try {
                return cadre.sacct(id).get("state").equals(state);
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(exit, cadre.sacct(id).get("exit"));
        assertEquals("", cadre.ok("squeue", "-h", "-j", "" + id).out(), "the allocation is given back");
        try (Stream<Path> left = Files.list(cadre.workDir)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith(".cadre-interactive"))
                    .toList(), "the job's environment is removed");
        }
    }

    @Test
    void srunOutsideAJobForwardsAPipeToItsTasks() throws Exception {
        Run one = bash("echo hello | srun cat");
        assertEquals(new Run(0, "hello\n"), one);
        Run two = bash("printf 'a\\nb\\n' | srun -n2 -l cat | sort");
        assertEquals(new Run(0, "0: a\n0: b\n1: a\n1: b\n"), two);
        Run code = bash("echo in | srun bash -c 'echo job=$SLURM_JOB_ID got=$(cat); exit 7'");
        assertEquals(7, code.exit(), code.output());
        assertTrue(code.output().contains(" got=in\n"), code.output());
        assertEnded(job(code), "FAILED", "7:0");
    }

    @Test
    void srunPtyRunsTheCommandAtATerminalOfThisOnesSize() throws Exception {
        Run run = bash("printf 'tty\\nstty size\\necho job=$SLURM_JOB_ID nodes=$SLURM_JOB_NODELIST\\nexit 3\\n'"
                + " | script -qefc 'stty rows 37 cols 111; srun -N1 --pty bash -i' /dev/null");
        assertEquals(3, run.exit(), run.output());
        assertTrue(Pattern.compile("[\r\n]/dev/pts/\\d+\r\n").matcher(run.output()).find(), run.output());
        assertTrue(Pattern.compile("[\r\n]37 111\r\n").matcher(run.output()).find(), run.output());
        assertTrue(Pattern.compile("[\r\n]job=\\d+ nodes=\\S+\r\n").matcher(run.output()).find(), run.output());
        assertTrue(run.output().contains("srun: error: "), "srun tells the task's exit: " + run.output());
        assertEnded(job(run), "FAILED", "3:0");
    }

    @Test
    void srunPtyHandsOnKeysTypedBeforeItsTerminalWasRawAsTyped() throws Exception {
        // A line and a Ctrl-D, typed before srun starts, wait at its terminal until srun has made it raw and runs the
        // command: cat reads the line, then the Ctrl-D as an end-of-file (it once read a NUL, and waited for ever).
        Run run = bash("printf 'hello\\n\\004' | timeout 60 script -qefc"
                + " 'srun -N1 --pty sh -c \"cat; echo job=\\$SLURM_JOB_ID cat=\\$?\"' /dev/null");
        assertEquals(0, run.exit(), run.output());
        assertTrue(Pattern.compile("(^|\n)hello\r\nhello\r\njob=\\d+ cat=0\r\n").matcher(run.output()).find(),
                "the line echoed and written by cat, which then ended: " + run.output());
        assertEnded(job(run), "COMPLETED", "0:0");
    }

    @Test
    void srunPtyLabelsTaskZerosOutputWithLabelAndRefusesOutputErrorAndInputAsSlurmDoes() throws Exception {
        assertEquals(new Run(1, "srun: error: --error/--input/--output are incompatible with --pty\n"),
                bash("srun --pty -o out.txt true"));
        assertEquals(1, bash("SLURM_STDINMODE=none srun -N1 --pty true").exit());
        Run one = bash("script -qefc 'srun -N1 --pty -l -u sh -c \"echo job=\\$SLURM_JOB_ID; echo second\"'"
                + " /dev/null");
        assertEquals(0, one.exit(), one.output());
        assertTrue(Pattern.compile("(^|\n)0: job=\\d+\r\n0: second\r\n").matcher(one.output()).find(),
                "task 0's lines labelled: " + one.output());
        assertEnded(job(one), "COMPLETED", "0:0");

        // Several tasks, started by an srun inside the job: task 0's output labelled alone, the rest thrown away.
        Run three = bash("script -qefc 'srun -n3 --pty -l sh -c \"if [ \\$SLURM_PROCID = 0 ]; then tty;"
                + " echo job=\\$SLURM_JOB_ID; else echo noise; fi\"' /dev/null");
        assertEquals(0, three.exit(), three.output());
        assertTrue(Pattern.compile("(^|\n)0: /dev/pts/\\d+\r\n0: job=\\d+\r\n").matcher(three.output()).find(),
                "task 0 at a terminal, labelled: " + three.output());
        assertFalse(three.output().contains("noise"), three.output());
        assertEnded(job(three), "COMPLETED", "0:0");
    }

    /**
     * Writes the remote command, which reports its terminal, waits (30 s at most) for SIGWINCH once it has made the
     * file {@code ready} and for the resizer's size, then reports its size, and the resizer, which resizes its own terminal once that file is
     * there.
     */
    private static void resizeScripts(String ready) throws Exception {
        Path dir = HEAD.cadre().workDir;
        Files.deleteIfExists(dir.resolve(ready));
        Files.writeString(dir.resolve("winch.sh"), """
                tty; stty size; echo "job=$SLURM_JOB_ID step=$SLURM_STEP_ID"
                trap 'w=1' WINCH
                touch "$1"
                i=0
                while [ -z "$w" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
                # stty sets the rows, then the columns: a first SIGWINCH may come with the rows alone.
                while [ "$(stty size)" != "50 132" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
                size=$(stty size)
                /bin/true  # bash reads the size into LINES and COLUMNS after an external command
                echo "winched=$w size=$size lines=$LINES columns=$COLUMNS"
                """);
        Files.writeString(dir.resolve("resize.sh"), """
                i=0
                while [ ! -e "$1" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
                stty rows 50 cols 132 </dev/tty
                """);
    }

    @Test
    void srunPtyFollowsTheTerminalsNewSize() throws Exception {
        resizeScripts("ready-a");
        Run run = bash("script -qefc 'stty rows 37 cols 111; sh resize.sh ready-a & srun -N1 --pty bash winch.sh"
                + " ready-a' /dev/null");
        assertEquals(0, run.exit(), run.output());
        assertTrue(Pattern.compile("[\r\n]37 111\r\n").matcher(run.output()).find(), run.output());
        assertTrue(run.output().contains("winched=1 size=50 132 lines=50 columns=132\r\n"), run.output());
        assertEnded(job(run), "COMPLETED", "0:0");
    }

    @Test
    void srunPtyInsideSallocsShellIsAStepAtATerminalThatFollowsItsSize() throws Exception {
        resizeScripts("ready-b");
        Run run = bash("printf 'exec srun --pty bash winch.sh ready-b\\n'"
                + " | script -qefc 'stty rows 20 cols 70; sh resize.sh ready-b & salloc -N1' /dev/null");
        assertEquals(0, run.exit(), run.output());
        long id = job(run);
        assertTrue(Pattern.compile("[\r\n]/dev/pts/\\d+\r\n20 70\r\njob=" + id + " step=0\r\n")
                .matcher(run.output()).find(), "a step of the job at a terminal of salloc's size: " + run.output());
        assertTrue(run.output().contains("winched=1 size=50 132 lines=50 columns=132\r\n"), run.output());
        assertTrue(run.output().contains("salloc: Relinquishing job allocation " + id), run.output());
        assertEnded(id, "COMPLETED", "0:0");

        // Not at a terminal (salloc's command runs as a batch script does): a pseudo-terminal all the same.
        Run batch = bash("salloc -N1 srun --pty sh -c 'tty; echo job=$SLURM_JOB_ID; exit 5'");
        assertEquals(5, batch.exit(), batch.output());
        assertTrue(Pattern.compile("(^|\n)/dev/pts/\\d+\r?\n").matcher(batch.output()).find(), batch.output());
        assertTrue(batch.output().contains("srun: error: "), "srun tells the task's exit: " + batch.output());
    }

    /**
     * Writes the command of srun --pty's tasks: task 0 says where it runs; each other task, after a second (srun
     * waits for it), leaves in {@code DIR/PROCID} its variables and what its input held, writes output that must
     * not be seen, and task 2 exits with {@code CODE}.
     */
    private static Path taskScript(String traces) throws Exception {
        Path dir = HEAD.cadre().workDir;
        Files.writeString(dir.resolve("tasks.sh"), """
                if [ "$SLURM_PROCID" = 0 ]; then
                  tty; echo "job=$SLURM_JOB_ID tasks=$SLURM_NTASKS step=$SLURM_STEP_ID"
                  exit 0
                fi
                sleep 1
                in=$(cat | wc -c)
                echo "node=$SLURM_NODEID local=$SLURM_LOCALID step=$SLURM_STEP_ID input=$in" >"$1/$SLURM_PROCID"
                echo "noise from task $SLURM_PROCID"; echo "noise on stderr" >&2
                [ "$SLURM_PROCID" = 2 ] && exit "$2"
                exit 0
                """);
        Path out = dir.resolve(traces);
        Files.createDirectories(out);
        return out;
    }

    private static void assertOtherTasksRan(Path traces, Run run) throws Exception {
        assertEquals("node=0 local=1 step=0 input=0\n", Files.readString(traces.resolve("1")), run.output());
        assertEquals("node=0 local=2 step=0 input=0\n", Files.readString(traces.resolve("2")), run.output());
        assertFalse(Files.exists(traces.resolve("0")));
        assertFalse(run.output().contains("noise"), "the other tasks' output is thrown away: " + run.output());
        assertFalse(run.output().contains("task 0"), run.output());
    }

    @Test
    void srunPtyWithThreeTasksRunsTheOthersWithoutATerminalAndExitsWithTheHighestCode() throws Exception {
        Path traces = taskScript("traces-a");
        Run run = bash("script -qefc 'srun -n3 --pty sh tasks.sh traces-a 6' /dev/null");
        assertEquals(6, run.exit(), run.output());
        long id = job(run);
        assertTrue(Pattern.compile("[\r\n]?/dev/pts/\\d+\r\njob=" + id + " tasks=3 step=0\r\n")
                .matcher(run.output()).find(), "task 0 at a terminal: " + run.output());
        assertTrue(Pattern.compile("srun: error: \\S+: task 2: Exited with exit code 6\r?\n")
                .matcher(run.output()).find(), run.output());
        assertOtherTasksRan(traces, run);
        assertEnded(id, "FAILED", "6:0");
    }

    @Test
    void srunPtyInsideSallocsShellStartsEveryTaskOfTheJob() throws Exception {
        Path traces = taskScript("traces-b");
        Run run = bash("printf 'exec srun --pty sh tasks.sh traces-b 0\\n'"
                + " | script -qefc 'stty rows 20 cols 70; salloc -n3' /dev/null");
        assertEquals(0, run.exit(), run.output());
        long id = job(run);
        assertTrue(Pattern.compile("[\r\n]/dev/pts/\\d+\r\njob=" + id + " tasks=3 step=0\r\n")
                .matcher(run.output()).find(), "task 0 at a terminal: " + run.output());
        assertFalse(run.output().contains("srun: error"), run.output());
        assertOtherTasksRan(traces, run);
        assertEnded(id, "COMPLETED", "0:0");

        // In a batch script: task 0 at a terminal of its own, the exit the tasks' highest.
        Path batch = taskScript("traces-c");
        Run script = bash("salloc -n3 srun --pty sh tasks.sh traces-c 4");
        assertEquals(4, script.exit(), script.output());
        assertTrue(script.output().contains(": task 2: Exited with exit code 4"), script.output());
        assertOtherTasksRan(batch, script);
    }

    @Test
    void sallocAtATerminalRunsTheShellThereAndSrunInsideItIsAStepOfTheJob() throws Exception {
        String host = bash("hostname").output().trim();
        Run run = bash("printf 'tty\\nsrun hostname\\necho job=$SLURM_JOB_ID\\nexit 4\\n'"
                + " | script -qefc 'stty rows 20 cols 70; salloc -N1' /dev/null");
        assertEquals(4, run.exit(), run.output());
        long id = job(run);
        assertTrue(run.output().contains("salloc: Granted job allocation " + id), run.output());
        assertTrue(Pattern.compile("[\r\n]/dev/pts/\\d+\r\n").matcher(run.output()).find(), run.output());
        assertTrue(Pattern.compile("[\r\n]" + Pattern.quote(host) + "\r\n").matcher(run.output()).find(), "srun hostname ran: " + run.output());
        assertTrue(run.output().contains("salloc: Relinquishing job allocation " + id), run.output());
        assertEnded(id, "FAILED", "4:0");
    }
}
