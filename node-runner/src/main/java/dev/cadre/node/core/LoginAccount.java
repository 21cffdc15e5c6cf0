package dev.cadre.node.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A user's login account as the passwd database has it: what a login shell would set as HOME, USER, LOGNAME and
 * SHELL. A job submitted with --export=NONE gets these, as Slurm loads the user's login environment then.
 */
public record LoginAccount(String user, String home, String shell) {

    /** Looks a user up: the account, or empty when there is none. */
    public interface Lookup {
        Optional<LoginAccount> find(String user);
    }

    /** /etc/passwd first; getent for accounts from elsewhere (LDAP, sssd), which only NSS knows. */
    public static final Lookup PASSWD = user -> {
        Optional<LoginAccount> local = fromPasswd(user, readLines(Path.of("/etc/passwd")));
        return local.isPresent() ? local : fromPasswd(user, getent(user));
    };

    /** The variables of this account, for a job environment without them. */
    public Map<String, String> variables() {
        return Map.of("HOME", home, "USER", user, "LOGNAME", user, "SHELL", shell.isEmpty() ? "/bin/sh" : shell);
    }

    /** The entry for user among passwd lines (name:password:uid:gid:gecos:home:shell). */
    static Optional<LoginAccount> fromPasswd(String user, List<String> lines) {
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && f[0].equals(user)) {
                return Optional.of(new LoginAccount(user, f[5], f[6]));
            }
        }
        return Optional.empty();
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> getent(String user) {
        if (user == null || user.isEmpty() || user.startsWith("-")) {
            return List.of();
        }
        try {
            Process p = new ProcessBuilder("getent", "passwd", user).redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out.lines().toList() : List.of();
            }
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
