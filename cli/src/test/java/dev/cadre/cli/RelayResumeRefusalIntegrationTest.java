package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.RelayWire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumes a relay must not take up (protocol.md 13.9), sent to a real relay while the run they name is running:
 * each is answered with exit 255 and the reason, and the run goes on to its own exit untouched.
 */
class RelayResumeRefusalIntegrationTest {
    @TempDir
    Path dir;
    /** Job 7's exec variables on alpha, whose relay these tests talk to. */
    private Map<String, String> env;

    /** Whether a Java agent with these variables got {@code true} run on beta. */
    private static boolean works(Map<String, String> e) {
        try (RelayCall call = RelayCall.start(e, List.of("beta", "true"))) {
            return call.await(new RelayCall.Output() {
                @Override
                public void stdout(byte[] data) {
                }

                @Override
                public void stderr(byte[] data) {
                }
            }) == 0;
        } catch (IOException ex) {
            return false;
        }
    }

    private record Answer(int exit, String out, String err, String run) {
    }

    private RelayWire.Request request(Map<String, String> e, String resume, String command) {
        return new RelayWire.Request(e.get(ExecAccess.JOB_ID), e.get(ExecAccess.ATTEMPT), e.get(ExecAccess.TOKEN),
                e.get(ExecAccess.NODES), List.of("beta", command), resume);
    }

    private SocketChannel send(RelayWire.Request request) throws IOException {
        SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
        s.connect(UnixDomainSocketAddress.of(env.get(ExecAccess.SOCKET)));
        s.write(ByteBuffer.wrap(request.encode()));
        return s;
    }

    /** Frames up to the exit, or up to the first stdout when {@code untilOutput}. */
    private static Answer read(SocketChannel s, boolean untilOutput) throws IOException {
        InputStream in = Channels.newInputStream(s);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder err = new StringBuilder();
        String run = null;
        while (true) {
            RelayWire.Frame f = RelayWire.readFrame(in);
            if (f == null) {
                throw new AssertionError("no exit frame; stderr so far: " + err);
            }
            switch (f.type()) {
                case RelayWire.RUN -> run = new String(f.payload(), StandardCharsets.US_ASCII);
                case RelayWire.STDERR -> err.append(new String(f.payload(), StandardCharsets.UTF_8));
                case RelayWire.STDOUT -> out.writeBytes(f.payload());
                case RelayWire.EXIT -> {
                    return new Answer(f.exitCode(), out.toString(StandardCharsets.UTF_8), err.toString(), run);
                }
                default -> throw new AssertionError("frame " + (char) f.type());
            }
            if (untilOutput && out.size() > 0) {
                return new Answer(-1, out.toString(StandardCharsets.UTF_8), err.toString(), run);
            }
        }
    }

    private Answer refused(Map<String, String> e, String resume) throws IOException {
        try (SocketChannel s = send(request(e, resume, "echo must not run"))) {
            Answer a = read(s, false);
            assertEquals(255, a.exit(), a.toString());
            assertEquals("", a.out(), "nothing ran");
            return a;
        }
    }

    @Test
    void resumesOfOtherJobsForeignTokensUnknownAndLiveRunsAreRefusedAndTheRunGoesOn() throws Exception {
        try (ExecTestBed bed = new ExecTestBed(dir)) {
            env = bed.placeJob(RelayResumeRefusalIntegrationTest::works);
            refusedWhileARunGoesOn();
        }
    }

    private void refusedWhileARunGoesOn() throws Exception {
        Path go = dir.resolve("go");
        try (SocketChannel running = send(request(env, "", "echo first; while [ ! -f " + go + " ]; do sleep 0.1;"
                + " done; echo second; exit 3"))) {
            Answer started = read(running, true);
            assertEquals("first\n", started.out());
            String run = started.run();
            assertTrue(run.startsWith("7.1."), run);

            assertTrue(refused(env, "nonsense").err().contains("cannot resume run 'nonsense': not a run id a relay"
                    + " gives"));
            assertTrue(refused(env, "8" + run.substring(1)).err().contains("it belongs to job 8 attempt 1, not to"
                    + " job 7 attempt 1 of this agent"));
            Map<String, String> forged = new HashMap<>(env);
            forged.put(ExecAccess.TOKEN, "b".repeat(64));
            assertTrue(refused(forged, run).err().contains("wrong exec token for job 7 attempt 1"));
            assertTrue(refused(env, run).err().contains("is already being relayed here"));
            assertTrue(refused(env, "7.1." + UUID.randomUUID()).err().contains("does not know this command"));

            Files.writeString(go, "");
            Answer end = read(running, false);
            assertEquals(new Answer(3, "second\n", "", null), end);
        }
    }
}
