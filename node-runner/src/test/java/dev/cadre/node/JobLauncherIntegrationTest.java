package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.LaunchPlanner;
import dev.cadre.node.core.WrapperStatus;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The node's job launcher with real processes: what jobs get through it, and what happens when it is lost. */
@ParameterizedClass(name = "{argumentSetName}")
@MethodSource("launchers")
class JobLauncherIntegrationTest extends NodeTestCase {
    private static final Duration WAIT = NodeUnderTest.WAIT;
    /** The same tests for both launchers: the compiled one, where the build made it, and the perl one. */
    @Parameter
    JobLauncher.Setup launcher;

    static List<Arguments> launchers() {
        return NodeUnderTest.starters().subList(0, 2);
    }

    private static long launcherPid(JobSupervisor s) {
        return s.launcherPid().orElseThrow(() -> new AssertionError("no job launcher runs"));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void signal(long pid, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).start().waitFor());
    }

    @Test
    void theLauncherIsTheProgramItWasSetUpWith() throws Exception {
        // Where a C compiler is, the build makes the compiled launcher; nothing else decides which one runs.
        if (launcher.compiled() && Files.isExecutable(Path.of("/usr/bin/cc"))) {
            assertTrue(LauncherProgram.compiledBuilt(), "the build made no " + LauncherProgram.compiledResource());
        }
        JobSupervisor s = node.supervisor(launcher);
        s.launch(node.place(90, "exit 6"));
        assertEquals(6, node.finished(90).exitCode());
        String program = Files.readSymbolicLink(Path.of("/proc/" + launcherPid(s) + "/exe")).getFileName()
                .toString();
        boolean compiled = launcher.compiled() && LauncherProgram.compiledBuilt();
        assertTrue(compiled ? program.startsWith("cadre-job-launcher-") : program.startsWith("perl"), program);
        assertTrue(Files.readString(Path.of("/proc/" + launcherPid(s) + "/cmdline")).startsWith(
                compiled ? "cadre-job-launcher\0" : "cadre-job-launcher"));
    }

    @Test
    void environmentPathsAndArgumentsWithAnyCharacterReachTheJobByteForByte() throws Exception {
        Path dir = Files.createDirectory(work.resolve("dir with spaces\nnewline, é and a=b"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MULTI_LINE", "first\nsecond\n");
        env.put("SPACES", "  leading and trailing  ");
        env.put("EQUALS", "a=b==c=");
        env.put("UNICODE", "héllo wörld ✓ 日本");
        env.put("EMPTY", "");
        env.put("NETSTRING_LIKE", "3:abc,0:,");
        List<String> args = List.of("plain", "with space", "new\nline", "", "ü=1", "12:");
        Path out = dir.resolve("out é\n.txt");
        Path cwd = dir.resolve("cwd");
        String body = "env -0 > \"$DUMP\"; printf '%s\\0' \"$@\" > \"$ARGS_DUMP\"; /bin/pwd -P > " + quote(cwd)
                + "; echo to-stdout; echo to-stderr >&2";
        Map<String, String> all = new HashMap<>(env);
        all.put("DUMP", dir.resolve("env").toString());
        all.put("ARGS_DUMP", dir.resolve("args").toString());
        JobSupervisor s = node.supervisor(launcher);
        s.launch(node.place(1, body, JobSpec.builder().workDir(dir.toString())
                .environment(all).args(args).stdout(out.toString())));
        RunnerEvent.RunnerFinished f = node.finished(1);
        assertEquals(0, f.exitCode());
        Map<String, String> seen = Arrays.stream(Files.readString(dir.resolve("env")).split("\0"))
                .map(kv -> kv.split("=", 2)).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1], (a, b) -> b));
        env.forEach((name, value) -> assertEquals(value, seen.get(name), name));
        List<String> argsSeen = List.of(Files.readString(dir.resolve("args")).split("\0", -1));
        assertEquals(args, argsSeen.subList(0, argsSeen.size() - 1));
        assertEquals(dir.toRealPath() + "\n", Files.readString(cwd));
        assertEquals("to-stdout\nto-stderr\n", Files.readString(out), "stderr goes into stdout's file");
        assertTrue(s.launcherPid().isPresent(), "the job went through the launcher");
    }

    /** The process's file descriptors and what they are open on. */
    private static Map<String, String> openFiles(long pid) throws IOException {
        Map<String, String> open = new HashMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                open.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
            }
        }
        return open;
    }

    private static String quote(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }

    @Test
    void appendModeSeparateStderrAndStdinAreTheJobsStreams() throws Exception {
        Path in = Files.writeString(work.resolve("in.txt"), "from stdin\n");
        Files.writeString(work.resolve("o.txt"), "kept\n");
        Map<String, String> env = Map.of("SLURM_OPEN_MODE", "a");
        node.supervisor(launcher).launch(node.place(2, "cat; echo err >&2", JobSpec.builder()
                .workDir(work.toString()).environment(env).stdin(in.toString()).stdout("o.txt").stderr("e.txt")));
        assertEquals(0, node.finished(2).exitCode());
        assertEquals("kept\nfrom stdin\n", Files.readString(work.resolve("o.txt")));
        assertEquals("err\n", Files.readString(work.resolve("e.txt")));
    }

    @Test
    void exitCodesAndSignalsAreRecordedExactly() throws Exception {
        JobSupervisor s = node.supervisor(launcher);
        Map<Long, int[]> expected = Map.of(10L, new int[] {0, 0}, 11L, new int[] {1, 0}, 12L, new int[] {255, 0},
                13L, new int[] {0, 15}, 14L, new int[] {0, 9}, 15L, new int[] {0, 6}, 16L, new int[] {127, 0});
        s.launch(node.place(10, "true"));
        s.launch(node.place(11, "exit 1"));
        s.launch(node.place(12, "exit 255"));
        s.launch(node.place(13, "kill -TERM $$"));
        s.launch(node.place(14, "kill -KILL $$"));
        s.launch(node.place(15, "kill -ABRT $$"));
        // A script the wrapper cannot run at all: exit 127 and a reason in the job's output.
        s.launch(node.placeScript(16, "#!/nonexistent/interpreter\n", JobSpec.builder().workDir(work.toString())
                .stdout("16.out")));
        for (var e : expected.entrySet()) {
            RunnerEvent.RunnerFinished f = node.finished(e.getKey());
            assertEquals(e.getValue()[0], f.exitCode(), "exit code of job " + e.getKey());
            assertEquals(e.getValue()[1], f.signal(), "signal of job " + e.getKey());
        }
        assertTrue(Files.readString(work.resolve("16.out")).contains("cadre: cannot run the job script"));
    }

    @Test
    void theWrapperRecordsWhetherAnythingOfTheJobOutlivedItsScript() throws Exception {
        Path jobs = Files.createDirectories(state.resolve("direct"));
        Path escaped = work.resolve("escaped.pid");
        try (JobLauncher started = JobLauncher.start(launcher, state.resolve("launcher.log"))) {
            // An orphan that ended before the script did is reaped by the wrapper, so nothing is left.
            assertEquals(new WrapperStatus(3, 0, true),
                    endOf(started, jobs, node.place(40, "(sleep 0.05 &); sleep 0.5; exit 3")));
            // A process that left the job's session and was orphaned still counts: it is the job's all the same.
            assertEquals(new WrapperStatus(0, 0, false),
                    endOf(started, jobs, node.place(41, "(setsid sleep 300 & echo $! > " + escaped + ")")));
        } finally {
            if (Files.exists(escaped)) {
                signal(Long.parseLong(Files.readString(escaped).trim()), "KILL");
            }
        }
    }

    /** Runs the attempt through the launcher alone and returns the status its wrapper recorded, usage aside. */
    private WrapperStatus endOf(JobLauncher launcher, Path jobs, NodeCommand.PlaceJob place)
            throws Exception {
        AttemptDirectory dir = AttemptDirectory.create(jobs, place).orElseThrow();
        JobLauncher.Launched launched = launcher.launch(dir, LaunchPlanner.plan(place, "test", null));
        launched.end().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        WrapperStatus s = dir.status().orElseThrow(() -> new AssertionError("no status for job " + place.jobId()));
        return new WrapperStatus(s.exitCode(), s.signal(), s.jobGone());
    }

    @Test
    void theJobHoldsNoneOfTheLaunchersDescriptorsAndStartsWithNoSignalBlocked() throws Exception {
        Path status = work.resolve("status");
        JobSupervisor s = node.supervisor(launcher);
        s.launch(node.place(20, "grep -E '^Sig(Ign|Blk)' /proc/self/status > " + status + "; "
                + node.untilReleased() + "exit 0"));
        long wrapper = node.wrapperPid(20);
        await("the script to start", WAIT, () -> Files.exists(status));
        long script = ProcessHandle.of(wrapper).orElseThrow().children().findFirst().orElseThrow().pid();
        // Its stdin and stdout (pipes to this JVM), its log, and the pipe SIGCHLD wakes it through: nothing else,
        // once it has closed its copies of the job's stdin and output, which it does after the fork and so, on a
        // loaded machine, can do after the script has started.
        long launcherPid = launcherPid(s);
        Set<String> own = Set.of("0", "1", "2", "3", "4");
        await("the launcher to close its copies of the job's files", WAIT, () -> {
            try {
                return openFiles(launcherPid).keySet().equals(own);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Map<String, String> launcher = openFiles(launcherPid);
        assertEquals(own, launcher.keySet(), launcher.toString());
        assertTrue(launcher.get("2").endsWith("launcher.log"), launcher.toString());
        Map<String, String> wrapperFds = openFiles(wrapper);
        assertEquals(List.of("/dev/null", work.resolve("slurm-20.out").toString(),
                work.resolve("slurm-20.out").toString()), List.of(wrapperFds.get("0"), wrapperFds.get("1"),
                wrapperFds.get("2")));
        for (Map<String, String> fds : List.of(wrapperFds, openFiles(script))) {
            assertTrue(fds.values().stream().noneMatch(launcher::containsValue), fds + " shares with " + launcher);
        }
        node.release();
        assertEquals(0, node.finished(20).exitCode());
        // Ignored as in a job the JVM starts itself (without the launcher), but nothing blocked: that job inherits
        // the JVM thread's SIGQUIT.
        Path alone = work.resolve("status-alone");
        node.supervisor(JobLauncher.Setup.perlOnly("/nonexistent/perl", WAIT)).launch(node.place(21,
                "grep -E '^Sig(Ign|Blk)' /proc/self/status > " + alone));
        assertEquals(0, node.finished(21).exitCode());
        List<String> withoutLauncher = Files.readAllLines(alone);
        assertEquals(List.of(withoutLauncher.get(0).replaceAll("\\p{XDigit}+$", "0000000000000000"),
                withoutLauncher.get(1)), Files.readAllLines(status));
    }

    @Test
    void aLauncherKilledMidJobLeavesTheJobRunningAndTheNextLaunchStartsANewOne() throws Exception {
        JobSupervisor s = node.supervisor(launcher);
        s.launch(node.place(30, node.untilReleased() + "exit 5"));
        long first = launcherPid(s);
        long wrapper = node.wrapperPid(30);
        signal(first, "KILL");
        await("the launcher to be lost", WAIT, () -> s.launcherPid().isEmpty());
        assertTrue(alive(wrapper), "the job's wrapper died with its launcher");
        assertEquals(List.of(new RunnerEvent.RunningAttempt(30, 1)), s.running());
        node.release();
        RunnerEvent.RunnerFinished f = node.finished(30);
        assertEquals(5, f.exitCode(), "the outcome comes from the wrapper's status file");
        s.launch(node.place(31, "exit 7"));
        assertNotEquals(first, launcherPid(s));
        assertEquals(7, node.finished(31).exitCode());
    }

    @Test
    void aRestartedRunnerStartsANewLauncherWhileTheOldOneSeesItsJobsToTheirEnd() throws Exception {
        JobSupervisor before = node.supervisor(launcher);
        before.launch(node.place(40, node.untilReleased() + "exit 3"));
        long old = launcherPid(before);
        // Once its wrapper holds the claim the job runs under the old launcher. Before that the restarted runner
        // would win the claim and start the job itself (adoptLeftovers), and the old launcher would rightly leave.
        long wrapper = node.wrapperPid(40);
        before.close();
        JobSupervisor after = node.supervisor(launcher);
        after.adoptLeftovers(adopted -> { });
        assertEquals(List.of(new RunnerEvent.RunningAttempt(40, 1)), after.running());
        after.launch(node.place(41, "exit 4"));
        assertNotEquals(old, launcherPid(after));
        assertEquals(4, node.finished(41).exitCode());
        assertTrue(alive(old), "the old launcher left before its job ended");
        assertTrue(alive(wrapper), "job 40 no longer runs under its first wrapper");
        node.release();
        assertEquals(3, node.finished(40).exitCode());
        await("the old launcher to exit after its last job", WAIT, () -> !alive(old));
    }

    @Test
    void withoutALauncherJobsStartAsProcessesOfTheirOwn() throws Exception {
        JobSupervisor s = node.supervisor(JobLauncher.Setup.perlOnly("/nonexistent/perl", Duration.ofSeconds(5)));
        s.launch(node.place(50, "echo \"$GREETING\"; pwd -P; exit 9", JobSpec.builder().workDir(work.toString())
                .environment(Map.of("GREETING", "hé\nllo"))));
        assertEquals(9, node.finished(50).exitCode());
        assertTrue(s.launcherPid().isEmpty());
        assertEquals("hé\nllo\n" + work.toRealPath() + "\n", Files.readString(work.resolve("slurm-50.out"),
                StandardCharsets.UTF_8), "the environment, and the working directory the wrapper entered");
    }

    @Test
    void aHungLauncherIsKilledAndTheLaunchItDidNotTakeRunsOnceWithoutIt() throws Exception {
        Path count = work.resolve("count");
        // Stopped with SIGSTOP, the launcher misses any timeout; a short one kills a merely slow (loaded) one too.
        JobSupervisor s = node.supervisor(launcher.answeringWithin(Duration.ofSeconds(5)));
        s.launch(node.place(60, "true"));
        assertEquals(0, node.finished(60).exitCode());
        long hung = launcherPid(s);
        signal(hung, "STOP");
        s.launch(node.place(61, "echo once >> " + count + "; exit 2"));
        assertEquals(2, node.finished(61).exitCode());
        assertEquals("once\n", Files.readString(count));
        await("the hung launcher to be killed", WAIT, () -> !alive(hung));
        s.launch(node.place(62, "exit 3"));
        assertNotEquals(hung, launcherPid(s));
        assertEquals(3, node.finished(62).exitCode());
    }

    @Test
    void anOutputFileThatCannotBeOpenedFailsTheLaunchWithTheReason() throws Exception {
        node.supervisor(launcher).launch(node.place(70, "true", JobSpec.builder().workDir(work.toString())
                .stdout(work.resolve("missing/dir/out.txt").toString())));
        await("the launch to fail", WAIT, () -> !node.events.isEmpty());
        var failed = (RunnerEvent.RunnerFailed) node.events.get(0);
        assertTrue(failed.error().contains("missing/dir/out.txt") && failed.error().contains("No such file"),
                failed.error());
        assertFalse(Files.exists(state.resolve("jobs/70-1")));
    }
}
