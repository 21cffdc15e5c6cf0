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
    /**
     * One keyed Mac per thread: looking one up and keying it cost more than the token itself, once per placement,
     * and a Mac is not safe to share between threads. doFinal leaves it keyed and ready for the next token.
     */
    private final ThreadLocal<Mac> macs;

    public ExecTokens(String secret) {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> keyed(key));
    }

    private static Mac keyed(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    @Override
    public String apply(Long jobId, Integer attempt) {
        byte[] token = macs.get().doFinal((jobId + ":" + attempt).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(token);
    }
}
