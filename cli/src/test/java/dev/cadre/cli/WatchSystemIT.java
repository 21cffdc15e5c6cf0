package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'cadre watch' as its own process against 'cadre up' with one core, so that a second job has to wait. */
class WatchSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    static Path base;
    private static CadreProcess cadre;

    @BeforeAll
    static void up() throws Exception {
        (cadre = new CadreProcess(base)).up("--cores", "1");
    }

    @AfterAll
    static void down() throws Exception {
        cadre.close();
    }

    /** Takes the one core with a job that runs until the gate file exists, so that the next job waits; its id. */
    private static long runUntilGate(Path gate) throws Exception {
        long blocker = cadre.sbatch("--wrap", "while [ ! -f " + gate + " ]; do sleep 0.1; done");
        cadre.awaitState(blocker, "RUNNING", WAIT);
        return blocker;
    }

    private static List<String> lines(Path output) {
        return CadreProcess.read(output).lines().filter(l -> l.contains(" job ")).toList();
    }

    @Test
    void watchPrintsEachChangeOfAJobAndExitsZeroWhenItEnds() throws Exception {
        Path gate = cadre.workDir.resolve("gate");
        long blocker = runUntilGate(gate);
        long id = cadre.sbatch("-J", "watched", "--wrap", "exit 0");
        assertEquals("PENDING", cadre.state(id));

        Path output = base.resolve("watch.txt");
        Process watch = cadre.startClient(output, "cadre", "watch", "" + id);
        try {
            CadreProcess.await("watch to print the job's state", WAIT, () -> !lines(output).isEmpty());
            Files.writeString(gate, "");
            assertTrue(watch.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "watch went on: " + CadreProcess.read(output));
        } finally {
            watch.destroyForcibly();
        }
        assertEquals(0, watch.exitValue(), CadreProcess.read(output));
        List<String> lines = lines(output);
        assertEquals(3, lines.size(), CadreProcess.read(output));
        String stamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ job " + id + " \\(watched\\) ";
        assertTrue(lines.get(0).matches(stamp + "PENDING attempt \\d+ reason Resources.*"), lines.get(0));
        assertTrue(lines.get(1).matches(stamp + "PENDING -> RUNNING attempt 1"), lines.get(1));
        assertTrue(lines.get(2).matches(stamp + "RUNNING -> COMPLETED attempt 1 exit 0"), lines.get(2));

        // A job that has already ended: its final line, and exit 0 at once.
        var ended = cadre.run("cadre", "watch", "" + blocker);
        assertEquals(0, ended.exit(), ended.err());
        assertTrue(ended.out().matches("\\S+ job " + blocker + " \\(wrap\\) COMPLETED attempt 1 exit 0\n"), ended.out());
    }

    /**
     * A part of an array's pending tasks that a task list split off is deleted, with no event, when a later list
     * joins its tasks back (protocol.md 5.5): the watch reads it again, says so and exits 0 instead of waiting on.
     */
    @Test
    void watchOfAPartWhoseTasksJoinTheArraysRecordEnds() throws Exception {
        Path gate = cadre.workDir.resolve("part-gate");
        Path output = base.resolve("watch-part.txt");
        Process watch = null;
        String part;
        try {
            runUntilGate(gate);
            long array = cadre.sbatch("--array", "0-5", "--wrap", "true");
            cadre.ok("scontrol", "hold", array + "_[1-3]");
            String queue = cadre.ok("squeue", "-h", "-j", "" + array, "-o", "%A %i").out();
            part = queue.lines().filter(l -> l.endsWith(" " + array + "_[1-3]")).map(l -> l.split(" ")[0])
                    .findFirst().orElseThrow(() -> new AssertionError("no part 1-3 of array " + array + ": " + queue));
            watch = cadre.startClient(output, "cadre", "watch", part);
            CadreProcess.await("watch to print the part's state", WAIT, () -> !lines(output).isEmpty());
            cadre.ok("scontrol", "release", array + "_[1-3]");
            assertTrue(watch.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "watch went on: " + CadreProcess.read(output));
        } finally {
            if (watch != null) {
                watch.destroyForcibly();
            }
            Files.writeString(gate, "");
        }
        assertEquals(0, watch.exitValue(), CadreProcess.read(output));
        List<String> lines = lines(output);
        assertEquals(2, lines.size(), CadreProcess.read(output));
        assertTrue(lines.get(0).matches("\\S+ job " + part + " \\(wrap\\) PENDING attempt 0 reason JobHeld(User|Admin)"),
                lines.get(0));
        // From the array-part-joined event, or from the read that found the part gone, whichever comes first.
        assertTrue(lines.get(1).matches("\\S+ job " + part + " is gone: its pending tasks joined (job \\d+"
                + "|another record of its array \\(squeue -r shows them\\))"), lines.get(1));
    }

    /**
     * An array's id follows every record of the array: the tasks split off it as they start, a part that joins the
     * array's record again, and the array's own record, until all have ended.
     */
    @Test
    void watchOfAnArrayFollowsEveryTaskUntilAllHaveEnded() throws Exception {
        Path gate = cadre.workDir.resolve("array-gate");
        Path output = base.resolve("watch-array.txt");
        Process watch = null;
        long array;
        try {
            runUntilGate(gate);
            array = cadre.sbatch("-J", "sweep", "--array", "0-3", "--wrap", "exit $SLURM_ARRAY_TASK_ID");
            cadre.ok("scontrol", "hold", array + "_[1-2]");
            watch = cadre.startClient(output, "cadre", "watch", "" + array);
            CadreProcess.await("watch to print the array and its part", WAIT, () -> lines(output).size() == 2);
            cadre.ok("scontrol", "release", array + "_[1-2]");
            try {
                CadreProcess.await("watch to show the part joining", WAIT,
                        () -> CadreProcess.read(output).contains(" joined job " + array + ": "));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; it printed:\n" + CadreProcess.read(output), e);
            }
            Files.writeString(gate, "");
            assertTrue(watch.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "watch went on: " + CadreProcess.read(output));
        } finally {
            if (watch != null) {
                watch.destroyForcibly();
            }
            Files.writeString(gate, "");
        }
        String text = CadreProcess.read(output);
        assertEquals(0, watch.exitValue(), text);
        List<String> lines = lines(output);
        assertTrue(lines.get(0).matches("\\S+ job " + array + " \\(sweep\\) PENDING attempt 0 reason \\w+"), text);
        assertTrue(lines.get(1).matches("\\S+ job \\d+ \\(sweep\\) PENDING attempt 0 reason JobHeld(User|Admin)"), text);
        for (int task = 0; task <= 3; task++) {
            String end = "job " + array + "_" + task + " (sweep) RUNNING -> " + (task == 0 ? "COMPLETED" : "FAILED")
                    + " attempt 1" + (task == 0 ? "" : " reason NonZeroExitCode") + " exit " + task;
            assertTrue(text.contains(end), "no '" + end + "' in:\n" + text);
        }
        String last = text.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("\\S+ array " + array + ": every task has ended"), text);
    }

    /** 12_3 is followed as Slurm names it: in a part while held, cancelled there, or split off as it runs. */
    @Test
    void watchOfATaskFollowsItWhereverItIsUntilItEnds() throws Exception {
        Path gate = cadre.workDir.resolve("task-gate");
        Path runs = base.resolve("watch-task-2.txt");
        Path cancelled = base.resolve("watch-task-3.txt");
        Process two = null;
        Process three = null;
        long array;
        try {
            runUntilGate(gate);
            array = cadre.sbatch("-J", "sweep", "--array", "0-3", "--wrap", "exit $SLURM_ARRAY_TASK_ID");
            two = cadre.startClient(runs, "cadre", "watch", array + "_2");
            three = cadre.startClient(cancelled, "cadre", "watch", array + "_3");
            CadreProcess.await("both watches to print their task", WAIT,
                    () -> lines(runs).size() == 1 && lines(cancelled).size() == 1);
            cadre.ok("scontrol", "hold", array + "_[2-3]");
            cadre.ok("scancel", array + "_3");
            assertTrue(three.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "went on: " + CadreProcess.read(cancelled));
            cadre.ok("scontrol", "release", array + "_2");
            Files.writeString(gate, "");
            assertTrue(two.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "went on: " + CadreProcess.read(runs));
        } finally {
            for (Process p : new Process[] {two, three}) {
                if (p != null) {
                    p.destroyForcibly();
                }
            }
            Files.writeString(gate, "");
        }
        String text = CadreProcess.read(runs);
        assertEquals(0, two.exitValue(), text);
        List<String> lines = lines(runs);
        assertTrue(lines.get(0).matches("\\S+ job " + array + "_2 \\(sweep\\) PENDING attempt 0 reason \\w+"), text);
        assertTrue(lines.get(lines.size() - 1).matches("\\S+ job " + array + "_2 \\(sweep\\) RUNNING -> FAILED attempt 1"
                + " reason NonZeroExitCode exit 2"), text);
        assertTrue(lines.stream().allMatch(l -> l.contains(" job " + array + "_2 ")), "another job's line: " + text);
        text = CadreProcess.read(cancelled);
        assertEquals(0, three.exitValue(), text);
        lines = lines(cancelled);
        // scancel names the account running it; the event carries the name and watch prints it (not sacct's uid).
        assertTrue(lines.get(lines.size() - 1).matches("\\S+ job " + array + "_3 \\(sweep\\) (PENDING -> )?CANCELLED"
                + " by " + Pattern.quote(System.getProperty("user.name")) + " attempt 0 reason CancelledByUser"), text);
    }

    @Test
    void watchWithoutAJobFollowsAUsersJobsUntilSigterm() throws Exception {
        Path output = base.resolve("watch-user.txt");
        Process watch = cadre.startClient(output, "cadre", "watch", "--user", System.getProperty("user.name"));
        try {
            // Until the watch has subscribed, jobs go unseen: submit until one is shown.
            CadreProcess.await("watch to show a job", WAIT, () -> {
                if (!lines(output).isEmpty()) {
                    return true;
                }
                try {
                    cadre.sbatch("--wrap", "true");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return false;
            });
            long id = cadre.sbatch("--wrap", "exit 3");
            String failed = "job " + id + " (wrap) RUNNING -> FAILED attempt 1 reason NonZeroExitCode exit 3";
            CadreProcess.await("watch to show job " + id + " fail", WAIT,
                    () -> CadreProcess.read(output).contains(failed));
            watch.destroy();
            assertTrue(watch.waitFor(30, TimeUnit.SECONDS), "watch did not stop on SIGTERM");
        } finally {
            watch.destroyForcibly();
        }
    }

    @Test
    void watchOfAnUnknownJobSaysSoAndFails() throws Exception {
        var r = cadre.run("cadre", "watch", "999999");
        assertEquals(1, r.exit());
        assertEquals("cadre watch: job 999999 does not exist\n", r.err());
        var bad = cadre.run("cadre", "watch", "five");
        assertEquals(2, bad.exit());
        assertEquals("cadre watch: invalid job id 'five'\n", bad.err());
        var noTask = cadre.run("cadre", "watch", "999999_3");
        assertEquals(1, noTask.exit());
        assertEquals("cadre watch: job 999999_3 does not exist\n", noTask.err());
        var badTask = cadre.run("cadre", "watch", "12_x");
        assertEquals(2, badTask.exit());
        assertEquals("cadre watch: invalid job id '12_x': an array task is named as 12_3\n", badTask.err());
    }
}
