package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Tokens stay the HMAC of job and attempt, however often and on however many threads they are made. */
class ExecTokensTest {
    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTokenIsTheHmacOfJobAndAttemptEveryTimeOnEveryThread() throws Exception {
        ExecTokens tokens = new ExecTokens("secret");
        assertEquals(hmac("secret", "42:1"), tokens.apply(42L, 1));
        assertEquals(hmac("secret", "42:1"), tokens.apply(42L, 1), "the reused Mac starts afresh");
        assertEquals(hmac("secret", "43:2"), tokens.apply(43L, 2));
        assertEquals(hmac("secret", "42:1"), CompletableFuture.supplyAsync(() -> tokens.apply(42L, 1)).get());
        assertNotEquals(tokens.apply(42L, 1), new ExecTokens("other").apply(42L, 1));
    }
}
