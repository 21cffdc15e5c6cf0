package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.ResourceUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A remote command that ended while no node-runner ran still tells what it used: the next runner answers its agent
 * with the exit its wrapper recorded, and the CPU time recorded with it, or its kept cgroup's counters. Real
 * processes, tracked by session and by cgroup (the machine's cgroup2 hierarchy).
 */
@ParameterizedClass(name = "by cgroup: {0}")
@ValueSource(booleans = {false, true})
class AdoptedCommandUsageIntegrationTest extends NodeTestCase {
    private static final long BURNT_MICROS = 500_000;
    @Parameter
    boolean byCgroup;

    private ExecSessions sessions(AttemptCgroups cgroups, HeldAttempts held) throws Exception {
        return new ExecSessions(new ExecRecords(state.resolve("exec")), held, Duration.ofSeconds(1), cgroups);
    }

    @Test
    void theNextRunnerTellsTheAgentWhatTheCommandUsed() throws Exception {
        AttemptCgroups cgroups = byCgroup ? node.cgroups() : null;
        HeldAttempts held = new HeldAttempts("n2", new ExecRecords(state.resolve("exec")));
        held.hold(node.place(5, "true"));
        Path done = work.resolve("done");
        String burn = "perl -e 'my $t = 0; until ($t >= " + BURNT_MICROS / 1e6 + ") { for (1 .. 100000) { }"
                + " my @c = times; $t = $c[0] + $c[1] }'";
        List<ExecMessage> replies = new CopyOnWriteArrayList<>();
        ExecSessions first = sessions(cgroups, held);
        first.start(new ExecMessage.ExecRequest("u1", 5, 1, "tok", burn + "; until [ -f " + done
                + " ]; do sleep 0.05; done; exit 7"), work, Map.of("PATH", System.getenv("PATH")), replies::add);
        long wrapper = replies.stream().filter(r -> r instanceof ExecMessage.ExecStarted).findFirst()
                .map(r -> ((ExecMessage.ExecStarted) r).pid()).orElseThrow();
        first.close(); // as a runner killed: the command runs on, and nothing of this runner reports its end
        Files.writeString(done, "");
        ExecRecords records = new ExecRecords(state.resolve("exec"));
        await("the command's status recorded", NodeUnderTest.WAIT, () -> {
            try {
                return records.requested().stream().anyMatch(n -> records.exitStatus(n).isPresent());
            } catch (IOException e) {
                return false;
            }
        });

        ExecSessions next = sessions(cgroups, held);
        List<OutputPump> pumps = new CopyOnWriteArrayList<>();
        // As the next runner's relay does: its wrapper waits for a reader of what the command left in its pipes.
        assertEquals(1, next.adopt((request, record, wrapperRuns) -> List.of(CommandWrapper.STDOUT,
                CommandWrapper.STDERR).forEach(stream -> pumps.add(OutputPump.start(null, record.resolveSibling(
                        record.getFileName() + stream), chunk -> { }, "drain")))));
        await("the command's end", NodeUnderTest.WAIT, () -> !RemoteCommandIntegrationTest.running(wrapper));
        pumps.forEach(p -> p.drained().join());
        assertTrue(next.adopted("u1").isEmpty(), "its wrapper recorded its end");
        ExecMessage.ExecExit exit = next.exitTold("u1").orElseThrow();
        assertEquals(7, exit.exitCode());
        ResourceUsage usage = exit.usage();
        assertNotNull(usage, "no usage on " + exit);
        Long cpu = usage.totalCpuMicros();
        assertTrue(cpu != null && cpu >= BURNT_MICROS * 8 / 10 && cpu < BURNT_MICROS * 100, "CPU time in " + usage);
        held.release(5, 1);
        next.killAttempt(5, 1).get(NodeUnderTest.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        next.close();
    }
}
