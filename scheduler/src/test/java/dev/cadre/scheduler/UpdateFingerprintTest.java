package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cadre.protocol.ControlRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * An update-job's fingerprint for requests sent again (docs/protocol.md 7.7): one without arrayTaskThrottle,
 * beginTime and dependency hashes as an update-job did before those fields existed, so that a copy answered by an
 * earlier head is still the same request after an upgrade; each of them is part of what an update asks.
 */
class UpdateFingerprintTest {
    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String fingerprint(ControlRequest.UpdateJob u) {
        return RepeatedRequests.identify(u, null).fingerprint();
    }

    @Test
    void anUpdateWithoutTheNewFieldsHashesAsBeforeThemAndEachOfThemCounts() throws Exception {
        String before = fingerprint(new ControlRequest.UpdateJob(4, null, null, null, 100, null, null, "r-1"));
        assertEquals(sha256("{\"type\":\"update-job\",\"jobId\":4,\"taskId\":null,\"timeLimitSeconds\":null,"
                + "\"priority\":null,\"nice\":100,\"name\":null,\"timeLimitChangeSeconds\":null,\"version\":1}"),
                before);
        assertNotEquals(before, fingerprint(new ControlRequest.UpdateJob(4, null, null, null, 100, null, null, "r-1",
                2, null, null)));
        assertNotEquals(before, fingerprint(new ControlRequest.UpdateJob(4, null, null, null, 100, null, null, "r-1",
                null, Instant.EPOCH, null)));
        assertNotEquals(before, fingerprint(new ControlRequest.UpdateJob(4, null, null, null, 100, null, null, "r-1",
                null, null, "")));
        assertNotEquals(before, fingerprint(new ControlRequest.UpdateJob(4, null, null, null, 100, null, null, "r-1",
                null, null, null, null, java.util.List.of("END"), null)));
        assertNotEquals(before, fingerprint(new ControlRequest.UpdateJob(4, null, null, null, 100, null, null, "r-1",
                null, null, null, null, null, "")));
        assertNotEquals(before, fingerprint(new ControlRequest.UpdateJob(4, null, null, null, 100, null, null, "r-1",
                null, null, null, null, null, null, "")));
    }
}
