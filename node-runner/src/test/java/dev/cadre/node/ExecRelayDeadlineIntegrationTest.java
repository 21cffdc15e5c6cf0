package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection to the node's relay that sends no request is closed after {@link ExecRelay#REQUEST_DEADLINE}: idle
 * connections of one job could otherwise hold every agent slot of the node, and stop every job's MPI launches.
 */
class ExecRelayDeadlineIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void anAgentThatSendsNoRequestIsHungUpOn() throws Exception {
        try (InVmBroker broker = InVmBroker.start(dir.resolve("broker"));
                ExecRelay relay = ExecRelay.start(dir, new ExecClient(broker.node()), new AgentFailures(
                        new HeldAttempts("n1", new ExecRecords(dir.resolve("exec")))));
                SocketChannel idle = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            idle.connect(UnixDomainSocketAddress.of(relay.socket()));
            long start = System.nanoTime();
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return idle.read(ByteBuffer.allocate(16));
                } catch (java.io.IOException e) {
                    return -2;
                }
            });
            int got = read.get(ExecRelay.REQUEST_DEADLINE.toSeconds() + 10, TimeUnit.SECONDS);
            assertEquals(-1, got, "the relay closed the connection");
            assertTrue(System.nanoTime() - start >= ExecRelay.REQUEST_DEADLINE.toNanos() - 500_000_000L,
                    "not before the deadline");
        }
    }
}
