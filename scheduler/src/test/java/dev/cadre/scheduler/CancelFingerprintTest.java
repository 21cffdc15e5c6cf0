package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.cadre.protocol.ControlRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * A cancel-job's fingerprint for requests sent again (docs/protocol.md 7.7): one without a user hashes as a cancel-job
 * did before the field existed, so a copy answered by an earlier head is still the same request after an upgrade;
 * the user is part of what one with a user asks.
 */
class CancelFingerprintTest {
    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aCancelWithoutAUserHashesAsBeforeTheFieldAndOneWithAUserDiffers() throws Exception {
        var anonymous = RepeatedRequests.identify(new ControlRequest.CancelJob(4, null, null, "r-1"), null);
        assertEquals(sha256("{\"type\":\"cancel-job\",\"jobId\":4,\"taskId\":null,\"tasks\":null,\"version\":1}"),
                anonymous.fingerprint());
        var named = RepeatedRequests.identify(new ControlRequest.CancelJob(4, null, null, "alice", "r-1"), null);
        assertNotEquals(anonymous.fingerprint(), named.fingerprint());
    }
}
