package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both launchers, started as the node-runner starts them, sent what the node-runner never sends: each stops
 * answering, names the problem in its log and exits, having started nothing.
 */
class LauncherRequestsIntegrationTest {
    @TempDir
    Path dir;

    private Process start(boolean compiled) throws IOException {
        List<String> command;
        if (compiled) {
            assumeTrue(LauncherProgram.compiledBuilt(), "no compiled launcher in this build (no C compiler)");
            command = LauncherProgram.compiled(dir.resolve("bin")).orElseThrow();
        } else {
            command = LauncherProgram.perl("perl");
        }
        return new ProcessBuilder(command).redirectError(dir.resolve("launcher.log").toFile()).start();
    }

    /** Sends the bytes and returns every answer line until the launcher's stdout ends; it must then exit. */
    private List<String> answersTo(boolean compiled, String request) throws Exception {
        Process p = start(compiled);
        try {
            p.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the launcher did not exit");
            return lines;
        } finally {
            p.destroyForcibly();
        }
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("launcher.log"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aRequestThatIsNotANetstringOfNetstringsEndsTheLauncher(boolean compiled) throws Exception {
        assertEquals(List.of("ready"), answersTo(compiled, "5:hello,"));
        assertTrue(log().contains("framing"), log());
        assertEquals(List.of("ready"), answersTo(compiled, "x:"));
        assertEquals(List.of("ready"), answersTo(compiled, "3:1:a;"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anUnknownRequestEndsTheLauncher(boolean compiled) throws Exception {
        assertEquals(List.of("ready"), answersTo(compiled, "7:4:stop,,"));
        assertTrue(log().contains("unknown request"), log());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aRequestLongerThanAnyTheNodeRunnerSendsEndsTheLauncherWithoutWaitingForIt(boolean compiled)
            throws Exception {
        // Nine digits is the most either reads; a tenth is bad framing at once, not a gigabyte to wait for.
        assertEquals(List.of("ready"), answersTo(compiled, "1234567890:"));
        assertTrue(log().contains("framing"), log());
    }

    /** A launch request of /bin/true, as LauncherWire writes one (all ASCII here, so lengths are in bytes). */
    private String launch(String id, String claim) {
        List<String> fields = List.of("launch", id, dir.resolve("status").toString(), claim, "", "", dir.toString(),
                "/dev/null", dir.resolve("out").toString(), "", "0", "0", "/bin/true");
        StringBuilder payload = new StringBuilder();
        fields.forEach(f -> payload.append(f.length()).append(':').append(f).append(','));
        return payload.length() + ":" + payload + ",";
    }

    @Test
    void aLaunchWhoseIdIsNotANumberEndsTheCompiledLauncher() throws Exception {
        // The id goes back in answers, which are lines of words.
        assertEquals(List.of("ready"), answersTo(true, launch("7 started 8", dir.resolve("a/claim").toString())));
        assertTrue(log().contains("bad launch request"), log());
    }

    @Test
    void aClaimLongerThanTheCompiledLauncherCanShowIsRefusedAndItGoesOn() throws Exception {
        String claim = dir.resolve("x".repeat(2 * LauncherProgram.SHOWN_ROOM) + "/claim").toString();
        Process p = start(true);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            p.getOutputStream().write(launch("7", claim).getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            assertEquals("ready", in.readLine());
            String refusal = in.readLine();
            assertTrue(refusal.startsWith("failed 7 claim " + claim + " is longer than the launcher can show ("),
                    refusal.substring(0, 40) + "..." + refusal.substring(refusal.length() - 60));
            assertEquals(null, in.readLine());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the launcher did not exit once its stdin closed");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }
}
