package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds, updates, requeues, scontrol top, arrays and dependencies through sbatch, squeue, scontrol, scancel and sacct, each its
 * own process against 'cadre up' with four cores. Assertions that need the node-runner to give array tasks
 * SLURM_ARRAY_* and to fill in %A and %a (docs/protocol.md 5.5) are in {@link #arrayTasksKnowTheirIds()} alone.
 */
class SchedulingControlSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    static Path base;
    private static CadreProcess cadre;

    @BeforeAll
    static void up() throws Exception {
        (cadre = new CadreProcess(base)).up("--cores", "4");
    }

    @AfterAll
    static void down() throws Exception {
        cadre.stop();
    }

    private static CadreProcess.Result ok(String command, String... args) throws Exception {
        return cadre.ok(command, args);
    }

    private static String squeue(long id, String format) throws Exception {
        return ok("squeue", "-h", "-t", "all", "-j", "" + id, "-o", format).out();
    }

    /** Every part of the job or array as sacct -X -P prints it, "JobID|State" a line, sorted. */
    private static Set<String> sacct(String ids) throws Exception {
        return new TreeSet<>(ok("sacct", "-X", "-n", "-P", "-j", ids, "--format", "JobID,State").out().lines()
                .toList());
    }

    private static void awaitSqueue(long id, String format, String expected) throws Exception {
        String[] last = {""};
        CadreProcess.await("squeue to show '" + expected + "' (last: " + last[0] + ")", WAIT, Duration.ofMillis(200),
                () -> {
                    try {
                        return (last[0] = squeue(id, format)).equals(expected);
                    } catch (Exception e) {
                        return false;
                    }
                });
    }

    @Test
    void aHeldJobIsUpdatedWhileItWaitsAndRunsOnceReleased() throws Exception {
        long id = cadre.sbatch("--hold", "--wrap", "echo held-ran");
        awaitSqueue(id, "%i %t %r", id + " PD JobHeldUser\n");
        assertEquals("", ok("scontrol", "update", "JobId=" + id, "TimeLimit=1:30:00", "Nice=5", "JobName=renamed")
                .out());
        String shown = ok("scontrol", "show", "job", "" + id).out();
        assertTrue(shown.startsWith("JobId=" + id + " JobName=renamed\n   "), shown);
        assertTrue(shown.contains("\n   Priority=0 Nice=5\n   JobState=PENDING Reason=JobHeldUser "), shown);
        assertTrue(shown.contains(" TimeLimit=01:30:00 "), shown);

        ok("scontrol", "release", "" + id);
        cadre.awaitState(id, "COMPLETED", WAIT);
        assertEquals("held-ran\n", Files.readString(cadre.workDir.resolve("slurm-" + id + ".out")));

        assertEquals(new CadreProcess.Result(1, "", "Job has already finished for job " + id + "\n"),
                cadre.run("scontrol", "release", "" + id));
        assertEquals(new CadreProcess.Result(1, "", "Invalid job id specified for job 987654\n"),
                cadre.run("scontrol", "hold", "987654"));
        assertEquals(new CadreProcess.Result(1, "", "slurm_load_jobs error: Invalid job id specified\n"),
                cadre.run("scontrol", "show", "job", "987654"));
    }

    @Test
    void scontrolTopMakesTheNamedPendingJobStartFirst() throws Exception {
        Path gate = cadre.workDir.resolve("top-gate");
        Path order = cadre.workDir.resolve("top-order.txt");
        long blocker = cadre.sbatch("-n", "4", "--wrap", "while [ ! -f " + gate + " ]; do sleep 0.1; done");
        cadre.awaitState(blocker, "RUNNING", WAIT);
        long first = cadre.sbatch("-n", "4", "--wrap", "echo first >> " + order);
        long second = cadre.sbatch("-n", "4", "--wrap", "echo second >> " + order);
        awaitSqueue(second, "%t", "PD\n");

        assertEquals(new CadreProcess.Result(1, "", "Job is no longer pending execution for job " + blocker + "\n"),
                cadre.run("scontrol", "top", "" + blocker));
        assertEquals(new CadreProcess.Result(1, "", "Invalid job id specified for job " + second + ",987654\n"),
                cadre.run("scontrol", "top", second + ",987654"), "refused whole");
        assertEquals(new CadreProcess.Result(1, "", "Invalid job id specified for job 12_[1-3]\n"),
                cadre.run("scontrol", "top", "12_[1-3]"));
        // The test runs as the head's owner, an operator: no --enable-user-top needed.
        assertEquals(new CadreProcess.Result(0, "", ""), cadre.run("scontrol", "top", "JobId=" + second));
        String shown = ok("squeue", "-h", "-t", "PD", "-j", first + "," + second, "-o", "%i %Q").out();
        Map<Long, Long> priority = new HashMap<>();
        shown.lines().map(l -> l.trim().split(" +")).forEach(f -> priority.put(Long.parseLong(f[0]),
                Long.parseLong(f[1])));
        assertTrue(priority.get(second) > priority.get(first), "squeue's %Q: " + shown);

        Files.writeString(gate, "");
        cadre.awaitState(first, "COMPLETED", WAIT);
        cadre.awaitState(second, "COMPLETED", WAIT);
        assertEquals("second\nfirst\n", Files.readString(order), "the job moved to the top started first");
    }

    @Test
    void aRequeuedJobRunsAgainAndSacctShowsBothRuns() throws Exception {
        Path runs = cadre.workDir.resolve("runs.txt");
        Path gate = cadre.workDir.resolve("requeue-gate");
        long id = cadre.sbatch("--wrap", "echo run >> " + runs + "; while [ ! -f " + gate + " ]; do sleep 0.1; done");
        CadreProcess.await("the first run", WAIT, () -> CadreProcess.read(runs).equals("run\n"));
        ok("scontrol", "requeue", "" + id);
        CadreProcess.await("the second run", WAIT, () -> CadreProcess.read(runs).equals("run\nrun\n"));
        String shown = ok("scontrol", "show", "job", "" + id).out();
        assertTrue(shown.contains("\n   JobState=RUNNING Reason=None ") && shown.contains(" Restarts=1 "), shown);
        Files.writeString(gate, "");
        cadre.awaitState(id, "COMPLETED", WAIT);

        List<String> both = ok("sacct", "-D", "-X", "-n", "-P", "-j", "" + id, "--format",
                "JobID,State,NodeList,Start,End")
                .out().lines().toList();
        assertEquals(2, both.size(), both.toString());
        assertTrue(both.get(0).matches(id + "\\|REQUEUED\\|[^|]+\\|\\d{4}-\\d\\d-\\d\\dT[0-9:]{8}\\|[-0-9T:]{19}"),
                both.get(0));
        assertTrue(both.get(1).startsWith(id + "|COMPLETED|"), both.get(1));
        assertEquals(Set.of(id + "|COMPLETED"), sacct("" + id), "without -D one row a job");
        assertEquals(new CadreProcess.Result(1, "", "Job has already finished for job " + id + "\n"),
                cadre.run("scontrol", "requeue", "" + id));
    }

    @Test
    void anArrayRunsEveryTaskButNoMoreThanItsThrottleAtOnce() throws Exception {
        Path script = cadre.workDir.resolve("throttled.sh");
        Files.writeString(script, """
                #!/bin/sh
                date +%s.%N > span-$SLURM_JOB_ID.start
                sleep 3
                date +%s.%N > span-$SLURM_JOB_ID.end
                """);
        long id = cadre.sbatch("--array=0-5%2", "-J", "throttled", script.toString());
        String early = squeue(id, "%i %t");
        assertTrue(early.lines().anyMatch(l -> l.matches(id + "_\\[[0-9,-]+%2\\] PD")), "pending tasks: " + early);
        assertTrue(early.lines().filter(l -> l.endsWith(" R")).count() <= 2, early);
        CadreProcess.await("the array to finish", WAIT, Duration.ofMillis(500), () -> {
            try {
                Set<String> rows = sacct("" + id);
                return rows.size() == 6 && rows.stream().allMatch(r -> r.endsWith("|COMPLETED"));
            } catch (Exception e) {
                return false;
            }
        });
        Set<String> tasks = new TreeSet<>();
        for (String row : sacct("" + id)) {
            tasks.add(row.substring(0, row.indexOf('|')));
        }
        assertEquals(Set.of(id + "_0", id + "_1", id + "_2", id + "_3", id + "_4", id + "_5"), tasks);
        assertTrue(mostAtOnce(spans()) <= 2, "more than 2 tasks ran at once: " + spans());
        assertEquals(6, spans().size());
    }

    /** [start, end] of every run of throttled.sh, from the files it wrote. */
    private static List<double[]> spans() throws Exception {
        List<double[]> spans = new ArrayList<>();
        try (Stream<Path> files = Files.list(cadre.workDir)) {
            for (Path start : files.filter(p -> p.getFileName().toString().endsWith(".start")).toList()) {
                Path end = Path.of(start.toString().replace(".start", ".end"));
                spans.add(new double[] {Double.parseDouble(Files.readString(start).trim()),
                    Double.parseDouble(Files.readString(end).trim())});
            }
        }
        return spans;
    }

    private static int mostAtOnce(List<double[]> spans) {
        int most = 0;
        for (double[] s : spans) {
            // At each start, count the runs under way (started by then and not yet ended).
            most = Math.max(most, (int) spans.stream().filter(o -> o[0] <= s[0] && o[1] > s[0]).count());
        }
        return most;
    }

    /** Needs the node-runner's array support: SLURM_ARRAY_TASK_ID and %A/%a in -o (docs/protocol.md 5.5). */
    @Test
    void arrayTasksKnowTheirIds() throws Exception {
        long id = cadre.sbatch("--array=0-5%2", "-o", "out-%A_%a.txt", "--wrap",
                "echo $SLURM_ARRAY_JOB_ID $SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT");
        CadreProcess.await("six outputs", WAIT, () -> {
            try (Stream<Path> files = Files.list(cadre.workDir)) {
                return files.filter(p -> p.getFileName().toString().startsWith("out-" + id + "_")).count() == 6
                        && sacct("" + id).stream().allMatch(r -> r.endsWith("|COMPLETED"));
            } catch (Exception e) {
                return false;
            }
        });
        for (int task = 0; task < 6; task++) {
            assertEquals(id + " " + task + " 6\n", Files.readString(cadre.workDir.resolve("out-" + id + "_" + task
                    + ".txt")));
        }
    }

    @Test
    void aDependencyOnAFailedJobIsNeverSatisfied() throws Exception {
        long failing = cadre.sbatch("--wrap", "exit 3");
        long cancelled = cadre.sbatch("-d", "afterok:" + failing, "--wrap", "echo never");
        long kept = cadre.sbatch("--dependency=afterok:" + failing, "--kill-on-invalid-dep=no", "--wrap", "true");
        cadre.awaitState(failing, "FAILED", WAIT);
        awaitSqueue(cancelled, "%T %r", "CANCELLED DependencyNeverSatisfied\n");
        awaitSqueue(kept, "%T %r", "PENDING DependencyNeverSatisfied\n");
        assertTrue(ok("squeue", "-j", "" + kept).out().contains("(DependencyNeverSatisfied)"));
        ok("scancel", "" + kept);
        cadre.awaitState(kept, "CANCELLED", WAIT);
        assertTrue(Files.notExists(cadre.workDir.resolve("slurm-" + cancelled + ".out")));
    }

    @Test
    void scancelOfOneTaskLeavesTheRestOfTheArray() throws Exception {
        long id = cadre.sbatch("--array=0-3", "--hold", "--wrap", "true");
        awaitSqueue(id, "%i %t %r", id + "_[0-3] PD JobHeldUser\n");
        ok("scancel", id + "_3");
        assertEquals(id + "_[0-2] PD\n", ok("squeue", "-h", "-j", "" + id, "-o", "%i %t").out());
        // scancel names the user running it: sacct shows the uid, as Slurm's "CANCELLED by 1000".
        String byMe = "CANCELLED by " + CadreProcess.myUid();
        assertEquals(Set.of(id + "_3|" + byMe), sacct(id + "_3"));
        // A filter narrows what the id names; it never widens a task to its array.
        ok("scancel", "--me", id + "_2");
        assertEquals(id + "_[0-1] PD\n", ok("squeue", "-h", "-j", "" + id, "-o", "%i %t").out());

        ok("scontrol", "release", "" + id);
        CadreProcess.await("tasks 0 and 1 to run", WAIT, Duration.ofMillis(500), () -> {
            try {
                return sacct("" + id).equals(Set.of(id + "_0|COMPLETED", id + "_1|COMPLETED", id + "_2|" + byMe,
                        id + "_3|" + byMe));
            } catch (Exception e) {
                return false;
            }
        });
        CadreProcess.Result again = cadre.run("scancel", id + "_3");
        assertEquals(new CadreProcess.Result(1, "", "scancel: error: Kill job error on job id " + id
                + "_3: Job/step already completing or completed\n"), again);
    }
}
