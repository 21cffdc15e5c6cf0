package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ExecMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Remote commands as real processes, without a broker. */
class ExecRunTest {
    /**
     * On a machine with 3 or more cores the common ForkJoin pool has 2 or more threads, and {@link Process#onExit}
     * completes there: a run whose background child holds its pipes must not keep one of them waiting. Another JVM
     * with such a pool (this machine may have fewer cores) runs more such commands than the pool has threads, then
     * asks the pool for something.
     */
    @Test
    void commandsWhoseBackgroundChildrenHoldTheirPipesDoNotStarveTheCommonPool() throws Exception {
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2", "-cp",
                System.getProperty("java.class.path"), CommonPoolProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("the common pool answered", out.readLine());
        } finally {
            probe.getOutputStream().close();
            assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe did not end");
        }
    }

    /** The other JVM of {@link #commandsWhoseBackgroundChildrenHoldTheirPipesDoNotStarveTheCommonPool}. */
    static final class CommonPoolProbe {
        public static void main(String[] args) throws Exception {
            ExecutorService exits = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "probe-exits");
                t.setDaemon(true);
                return t;
            });
            Path bashEnds = Files.createTempFile("probe", ".ends");
            Files.delete(bashEnds);
            List<ExecRun> runs = new ArrayList<>();
            try {
                for (int i = 0; i < 2 * ForkJoinPool.getCommonPoolParallelism(); i++) {
                    ExecRun run = ExecRun.start(new ExecMessage.ExecRequest("probe-" + i, 1, 1, "t",
                            "sleep 60 & while [ ! -f " + bashEnds + " ]; do sleep 0.02; done"), null, Map.of(),
                            reply -> { });
                    runs.add(run);
                    run.report(exits);
                }
                // Bash ends once its output is being read; its exit completes onExit in the pool, and its child
                // keeps the pipes open.
                Files.writeString(bashEnds, "");
                for (ExecRun run : runs) {
                    Optional<ProcessHandle> bash = ProcessHandle.of(run.pid());
                    if (bash.isPresent()) {
                        bash.get().onExit().get(20, TimeUnit.SECONDS);
                    }
                }
                String answer;
                try {
                    answer = ForkJoinPool.commonPool().submit(() -> "the common pool answered").get(10,
                            TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    answer = "the common pool is starved";
                }
                System.out.println(answer);
                System.out.flush();
            } finally {
                for (ExecRun run : runs) {
                    // Not waited for: under an init that reaps no orphan, the killed children stay as zombies.
                    ProcessGroups.signal(run.pid(), ProcessGroups.Stop.KILL);
                }
                Files.deleteIfExists(bashEnds);
            }
            System.exit(0);
        }
    }

    /**
     * Tracked by session, a command's record is named by its wrapper's pid, so it is written after the start: a
     * runner killed (SIGKILL) in between must leave nothing running unrecorded, which the broker's copy of the
     * request would run a second time. The wrapper waits for the runner's word, and runs nothing without it.
     */
    @Test
    void aSessionCommandWhoseRunnerIsKilledBeforeItIsRecordedNeverRuns() throws Exception {
        Path dir = Files.createTempDirectory("gate");
        Path ran = dir.resolve("ran");
        Process runner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), UnrecordedStart.class.getName(), dir.toString(),
                "touch " + ran).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long wrapper;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(runner.getInputStream(),
                StandardCharsets.UTF_8))) {
            wrapper = Long.parseLong(out.readLine());
        } finally {
            runner.destroyForcibly();
            assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner did not end");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (running(wrapper)) {
            assertTrue(System.nanoTime() < deadline, "the wrapper " + wrapper + " still waits for its word");
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertTrue(Files.notExists(ran), "the command ran with no record of it");
        assertTrue(Files.notExists(dir.resolve("run-" + wrapper + CommandWrapper.EXIT)), "nor did it record a status");

        ExecRun told = ExecRun.start(new ExecMessage.ExecRequest("told", 1, 1, "t", "touch " + ran), null, Map.of(),
                reply -> { }, null, dir.resolve("run-"));
        told.proceed();
        assertTrue(ProcessHandle.of(told.pid()).map(h -> {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }).orElse(true), "the command told to go did not end");
        assertTrue(Files.exists(ran), "told to go, the command runs");
        assertEquals("0", Files.readString(dir.resolve("run-" + told.pid() + CommandWrapper.EXIT)).strip());
    }

    /** Alive and not a zombie (under an init that reaps no orphan, an ended orphan stays one). */
    private static boolean running(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String s = Files.readString(stat);
            return !s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    /** The runner of {@link #aSessionCommandWhoseRunnerIsKilledBeforeItIsRecordedNeverRuns}, killed before it records. */
    static final class UnrecordedStart {
        public static void main(String[] args) throws Exception {
            ExecRun run = ExecRun.start(new ExecMessage.ExecRequest("unrecorded", 1, 1, "t", args[1]), null, Map.of(),
                    reply -> { }, null, Path.of(args[0]).resolve("run-"));
            System.out.println(run.pid());
            System.out.flush();
            // Killed here, as a runner killed between the start and the record.
            System.in.read();
        }
    }
}
