package dev.cadre.scheduler;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.function.BiFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Job-scoped exec tokens, derived from the head's secret so that re-sending a place-job after a restart
 * carries the same token as the first time.
 */
public final class ExecTokens implements BiFunction<Long, Integer, String> {
    private final SecretKeySpec key;

    public ExecTokens(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    @Override
    public String apply(Long jobId, Integer attempt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((jobId + ":" + attempt).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
