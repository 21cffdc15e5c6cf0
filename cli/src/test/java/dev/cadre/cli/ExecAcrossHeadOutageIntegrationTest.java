package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote side of a multi-node job (a daemon cadre-rsh started on beta through alpha's relay) while the head's
 * broker, which its keepalives cross, is away: silence then is not its agent's death, so the daemon runs on and
 * its agent gets its exit once the head is back. A real death of the coordinating side still ends it at once.
 */
class ExecAcrossHeadOutageIntegrationTest {
    private static final Path AGENT = CadreProcess.ROOT.resolve("bin/cadre-rsh");
    /** Longer than the 5 s after which a silent agent's command was killed, well inside the silence limit. */
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    /** Well under that old 5 s limit: only the relay's release, not the silence, ends the command this soon. */
    private static final Duration PROMPTLY = Duration.ofSeconds(4);
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private ExecTestBed bed;
    private final List<Process> agents = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        bed = new ExecTestBed(dir);
    }

    @AfterEach
    void stop() throws Exception {
        agents.forEach(Process::destroyForcibly);
        Files.writeString(work.resolve("go"), "");
        var kill = new NodeCommand.KillJob(8, 1, JobState.CANCELLED);
        bed.sendAsScheduler(Destinations.nodeQueue(bed.alpha.nodeId()), kill);
        bed.sendAsScheduler(Destinations.nodeQueue(bed.beta.nodeId()), kill);
        bed.close();
    }

    @Test
    void aRemoteCommandRidesOutTheHeadsBrokerBeingAwayAndItsAgentGetsItsExit() throws Exception {
        Map<String, String> env = bed.placeJob(e -> run(e, "beta", "true") == 0);
        Path go = work.resolve("go");
        Process agent = startAgent(env, "beta", "echo $$; while [ ! -f " + go + " ]; do sleep 0.1; done;"
                + " echo done; exit 3");
        BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(),
                StandardCharsets.UTF_8));
        long pid = Long.parseLong(out.readLine().trim());
        ProcessHandle command = ProcessHandle.of(pid).orElseThrow();

        bed.stopBroker();
        assertThrows(TimeoutException.class, () -> command.onExit().get(OUTAGE.toMillis(), TimeUnit.MILLISECONDS),
                "the remote command was killed while the head's broker was away for " + OUTAGE.toSeconds() + " s");
        bed.startBrokerAgain();
        // Output sent before alpha's relay is back, with the agent's reply queue, is lost (replies are not
        // persistent); a request that goes there and back says it is.
        CadreProcess.await("alpha's relay to reach beta again", WAIT, () -> run(env, "beta", "true") == 0);

        Files.writeString(go, "");
        assertTrue(agent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the agent got no exit after the head came"
                + " back");
        String err = new String(agent.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("done", out.readLine(), "the output written after the outage; the agent's stderr: " + err);
        assertEquals(3, agent.exitValue(), err);
    }

    @Test
    void theCoordinatorsAttemptEndingEndsItsRemoteCommandAtOnceWithoutTheHeadTellingTheOtherNode() throws Exception {
        bed.placeJob(e -> run(e, "beta", "true") == 0);
        Path pidFile = work.resolve("remote.pid");
        NodeCommand.PlaceJob job7 = bed.job7();
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir(work.toString())
                .script("#!/bin/bash\n" + AGENT + " beta 'echo $$ > " + pidFile + ".tmp; mv " + pidFile + ".tmp "
                        + pidFile + "; exec sleep 300'\n").build();
        var place = new NodeCommand.PlaceJob(8, 1, spec, job7.allocation(), ExecTestBed.TOKEN);
        bed.sendAsScheduler(Destinations.nodeQueue(bed.beta.nodeId()), place);
        bed.sendAsScheduler(Destinations.nodeQueue(bed.alpha.nodeId()), place);
        CadreProcess.await("the job's script to start its command on beta", WAIT, () -> Files.exists(pidFile));
        ProcessHandle command = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElseThrow();

        // The coordinator's attempt ends (cancelled there); beta hears nothing from the head about it.
        bed.sendAsScheduler(Destinations.nodeQueue(bed.alpha.nodeId()), new NodeCommand.KillJob(8, 1,
                JobState.CANCELLED));
        CadreProcess.await("beta to kill the command once its agent died with the attempt", PROMPTLY,
                () -> !command.isAlive());
    }

    private Process startAgent(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(AGENT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("CADRE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        agents.add(p);
        p.getOutputStream().close();
        return p;
    }

    private int run(Map<String, String> env, String... args) {
        try {
            Process p = startAgent(env, args);
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
            return p.exitValue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
