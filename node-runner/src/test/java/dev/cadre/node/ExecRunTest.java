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
                            reply -> true);
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
}
