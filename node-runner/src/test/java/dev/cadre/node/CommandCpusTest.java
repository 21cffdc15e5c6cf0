package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cadre.node.core.CpuList;
import dev.cadre.protocol.ExecMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote command's wrapper binds it to the CPUs in its environment ({@link CommandWrapper#bindTo}) through
 * {@code taskset}, as real processes: without taskset it runs on any CPU and says so on its stderr. Needs two CPUs.
 */
class CommandCpusTest {
    @TempDir
    Path dir;
    private SortedSet<Integer> machine;
    private final ExecutorService exits = Executors.newCachedThreadPool();

    @BeforeEach
    void twoCpusAtLeast() {
        machine = BoundCpus.cpusOf("self").orElseThrow();
        assumeTrue(machine.size() >= 2, "the test JVM may run on " + machine + " alone");
    }

    @AfterEach
    void stop() {
        exits.shutdownNow();
    }

    /** Runs {@code nproc} under the wrapper; its stdout and stderr. */
    private String[] nproc(Map<String, String> environment) throws Exception {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        CompletableFuture<ExecMessage.ExecExit> exit = new CompletableFuture<>();
        ExecRun run = ExecRun.start(new ExecMessage.ExecRequest("r", 1, 1, "t", "nproc"), dir, environment,
                reply -> {
                    if (reply instanceof ExecMessage.ExecOutput o) {
                        String text = new String(Base64.getDecoder().decode(o.data()), StandardCharsets.UTF_8);
                        synchronized (out) {
                            (o.stream().equals("stdout") ? out : err).append(text);
                        }
                    } else if (reply instanceof ExecMessage.ExecExit e) {
                        exit.complete(e);
                    }
                    return true;
                });
        run.report(exits);
        assertEquals(0, exit.get(20, TimeUnit.SECONDS).exitCode(), err.toString());
        synchronized (out) {
            return new String[] {out.toString(), err.toString()};
        }
    }

    @Test
    void aCommandRunsOnTheCpusItsWrapperWasGiven() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        CommandWrapper.bindTo(env, Set.of(machine.first()));
        assertEquals(Integer.toString(machine.first()), env.get(CommandWrapper.CPUS_VARIABLE));
        assertEquals("1\n", nproc(env)[0]);
    }

    @Test
    void withoutTasksetACommandRunsOnAnyCpuAndSaysSoOnItsStderr() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        for (String program : new String[] {"bash", "nproc"}) {
            Path real = Path.of("/usr/bin", program);
            Files.createSymbolicLink(bin.resolve(program), Files.exists(real) ? real : Path.of("/bin", program));
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", bin.toString());
        CommandWrapper.bindTo(env, Set.of(machine.first()));
        String[] seen = nproc(env);
        assertEquals(machine.size() + "\n", seen[0]);
        assertTrue(seen[1].contains("taskset (util-linux) is not installed: this command runs on any CPU"), seen[1]);
    }

    @Test
    void aJobsOwnVariableBindsNothingNorDoCpusNoLongerOnline() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put(CommandWrapper.CPUS_VARIABLE, Integer.toString(machine.first()));
        CommandWrapper.bindTo(env, Set.of());
        assertFalse(env.containsKey(CommandWrapper.CPUS_VARIABLE));
        assertEquals(machine.size() + "\n", nproc(env)[0]);
        SortedSet<Integer> online = CpuList.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")));
        assumeTrue(!online.contains(CpuList.MAX_CPU));
        CommandWrapper.bindTo(env, Set.of(CpuList.MAX_CPU));
        assertFalse(env.containsKey(CommandWrapper.CPUS_VARIABLE));
    }
}
