package dev.cadre.broker;

import java.security.SecureRandom;
import java.util.HexFormat;

/** A broker user and password. */
public record Credentials(String user, String password) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static String newSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "Credentials[" + user + "]";
    }
}
