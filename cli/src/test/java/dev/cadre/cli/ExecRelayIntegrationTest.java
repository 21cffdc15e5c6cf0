package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.RelayWire;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/cadre-rsh, the agent MPI launchers really run, as a process against two real node-runners: it hands its
 * command to alpha's relay socket, which sends it to beta over the broker.
 */
class ExecRelayIntegrationTest {
    private static final Path AGENT = CadreProcess.ROOT.resolve("bin/cadre-rsh");
    @TempDir
    Path dir;
    private ExecTestBed bed;
    private Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        bed = new ExecTestBed(dir);
        env = bed.placeJob(e -> agent(e, "beta", "true").exit == 0);
    }

    @AfterEach
    void stop() throws Exception {
        bed.close();
    }

    private record Run(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    private static Process startAgent(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(AGENT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("CADRE_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    private static Run agent(Map<String, String> env, String... args) {
        try {
            Process p = startAgent(env, args);
            p.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errors = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (java.io.IOException e) {
                    // The agent is gone; what it wrote is kept.
                }
            });
            errors.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("agent still running after 30 s");
            }
            errors.join(5_000);
            return new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theAgentRunsTheCommandOnTheHostAndCopiesBytesAndStatus() {
        // As mpirun passes them: ssh options, then words the remote shell joins and interprets.
        Run r = agent(env, "-x", "-p", "22", "beta", "printf", "'\\000\\377\\n'", ";", "echo", "$CADRE_JOB_ID",
                ">&2", ";", "exit", "7");
        assertEquals(7, r.exit, r.err);
        assertArrayEquals(new byte[] {0, (byte) 0xff, '\n'}, r.out);
        assertEquals("7\n", r.err);
        assertEquals(0, agent(env, "beta", "test", "-S", "\"$CADRE_EXEC_SOCKET\"").exit,
                "a command on beta gets beta's relay, for a tree spawn from there");
    }

    @Test
    void refusalsAreExit255WithTheReason() {
        Run unknown = agent(env, "gamma", "true");
        assertEquals(255, unknown.exit);
        assertTrue(unknown.err.contains("host gamma is not part of job 7's allocation"), unknown.err);

        Run noCommand = agent(env, "beta");
        assertEquals(255, noCommand.exit);
        assertTrue(noCommand.err.contains("no command to run on beta"), noCommand.err);

        Map<String, String> forged = new HashMap<>(env);
        forged.put(ExecAccess.TOKEN, "b".repeat(64));
        Run wrong = agent(forged, "beta", "true");
        assertEquals(255, wrong.exit);
        assertTrue(wrong.err.contains("wrong exec token"), wrong.err);

        Run outside = agent(Map.of(), "beta", "true");
        assertEquals(255, outside.exit);
        assertTrue(outside.err.contains("not inside a Cadre job"), outside.err);

        Map<String, String> noRelay = new HashMap<>(env);
        noRelay.put(ExecAccess.SOCKET, dir.resolve("nowhere.sock").toString());
        Run gone = agent(noRelay, "beta", "true");
        assertEquals(255, gone.exit);
        assertTrue(gone.err.contains("cannot reach this node's runner"), gone.err);
    }

    @Test
    void anAgentKilledMidCommandHasItsCommandKilled() throws Exception {
        Process agent = startAgent(env, "beta", "echo $$; exec sleep 300");
        long pid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(),
                StandardCharsets.UTF_8))) {
            pid = Long.parseLong(out.readLine().trim());
            assertTrue(ProcessHandle.of(pid).isPresent(), "the command runs");
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // The relay sees its agent hang up and releases the command: beta kills it at once, not at its silence limit.
        CadreProcess.await("the orphaned command to be killed", Duration.ofSeconds(5),
                () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void manyAgentsAtOnceEachGetTheirOwnAnswer() throws Exception {
        List<Process> agents = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            agents.add(startAgent(env, "beta", "echo agent " + i + "; exit " + i));
        }
        for (int i = 0; i < agents.size(); i++) {
            Process p = agents.get(i);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals("agent " + i + "\n", out);
            assertEquals(i, p.exitValue());
        }
    }

    @Test
    void aRequestRefusedWhileTheAgentStillWritesItIsExit255WithTheRefusal() {
        // Each far larger than the socket's buffers: the relay refuses and closes while the agent is still writing.
        String[] tooMany = new String[20_000];
        tooMany[0] = "beta";
        java.util.Arrays.fill(tooMany, 1, tooMany.length, "a".repeat(50));
        Run many = agent(env, tooMany);
        assertEquals(255, many.exit, "not killed by SIGPIPE; stderr: " + many.err);
        assertTrue(many.err.contains("cadre rsh: argument count 20000 is outside 0-" + RelayWire.MAX_ARGS), many.err);

        String[] tooLarge = new String[13];
        tooLarge[0] = "beta";
        java.util.Arrays.fill(tooLarge, 1, tooLarge.length, "b".repeat(100 * 1024));
        Run large = agent(env, tooLarge);
        assertEquals(255, large.exit, "not killed by SIGPIPE; stderr: " + large.err);
        assertTrue(large.err.contains("cadre rsh: the request is over " + RelayWire.MAX_REQUEST + " bytes"),
                large.err);
        assertEquals(0, agent(env, "beta", "true").exit, "the relay still serves");
    }

    @Test
    void garbageOnTheRelaySocketIsAnsweredWithTheProblemAndChangesNothing() throws Exception {
        assertEquals("cadre rsh: unknown agent protocol 'hello' (this node speaks cadre-rsh/1, cadre-rsh/2,"
                + " cadre-rsh/3 and cadre-rsh/4)\n",
                rawAnswer("5:hello,".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(rawAnswer("x:".getBytes(StandardCharsets.US_ASCII)).contains("at most 7 digits"));
        assertTrue(rawAnswer("9999999:".getBytes(StandardCharsets.US_ASCII)).contains("over 1048576 bytes"));
        byte[] hugeCount = new RelayWire.Request("7", "1", "t", "", List.of()).encode();
        String tampered = new String(hugeCount, StandardCharsets.UTF_8).replace("1:0,", "6:999999,");
        assertTrue(rawAnswer(tampered.getBytes(StandardCharsets.UTF_8)).contains("argument count 999999"));
        assertEquals(0, agent(env, "beta", "true").exit, "the relay still serves");
    }

    /** Sends bytes to alpha's relay and returns what it wrote to stderr, checking it ends with 255. */
    private String rawAnswer(byte[] request) throws Exception {
        try (SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.connect(UnixDomainSocketAddress.of(env.get(ExecAccess.SOCKET)));
            s.write(ByteBuffer.wrap(request));
            InputStream in = Channels.newInputStream(s);
            StringBuilder err = new StringBuilder();
            while (true) {
                RelayWire.Frame f = RelayWire.readFrame(in);
                if (f == null) {
                    throw new AssertionError("no exit frame; stderr so far: " + err);
                }
                if (f.type() == RelayWire.EXIT) {
                    assertEquals(255, f.exitCode());
                    return err.toString();
                }
                err.append(new String(f.payload(), StandardCharsets.UTF_8));
            }
        }
    }
}
