package dev.cadre.cli.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Users' numeric ids and primary groups as this machine knows them, for the fields Slurm prints as numbers
 * (scontrol's {@code UserId=alice(1000) GroupId=alice(1000)}, squeue's %U, %G and %g, sacct's UID, GID and Group).
 * Cadre records a job's user by name; the ids are looked up where the command runs, in /etc/passwd and /etc/group,
 * then through getent(1) for users of a directory service (LDAP, SSSD). A user neither knows is shown by name only.
 */
public final class UnixAccounts {
    /**
     * @param group the primary group's name, or null when no group of that id is known
     * @param properName the GECOS field up to its first comma, as sreport's "Proper Name" prints it
     */
    public record Account(String user, long uid, long gid, String group, String properName) {
        public Account(String user, long uid, long gid, String group) {
            this(user, uid, gid, group, "");
        }
    }

    /** Knows nobody: for output that must not depend on the machine. */
    public static final UnixAccounts NONE = new UnixAccounts(null, null, false);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._@-]{0,63}\\$?");
    private static final long GETENT_WAIT_MS = 2_000;
    private static UnixAccounts system;

    private final Path passwd;
    private final Path groups;
    private final boolean askGetent;
    private final Map<String, Optional<Account>> known = new HashMap<>();
    private Map<Long, String> groupNames;

    UnixAccounts(Path passwd, Path groups, boolean askGetent) {
        this.passwd = passwd;
        this.groups = groups;
        this.askGetent = askGetent;
    }

    /** This machine's accounts, read once per command. */
    public static synchronized UnixAccounts system() {
        if (system == null) {
            system = new UnixAccounts(Path.of("/etc/passwd"), Path.of("/etc/group"), true);
        }
        return system;
    }

    /** The account of {@code user}; empty when unknown here, or when the name is no user name at all. */
    public synchronized Optional<Account> of(String user) {
        if (user == null || !NAME.matcher(user).matches()) {
            return Optional.empty();
        }
        return known.computeIfAbsent(user, this::lookUp);
    }

    /** The user's numeric id, as text. */
    public Optional<String> uid(String user) {
        return of(user).map(a -> Long.toString(a.uid()));
    }

    /** The user's primary group's numeric id, as text. */
    public Optional<String> gid(String user) {
        return of(user).map(a -> Long.toString(a.gid()));
    }

    /** The user's primary group's name; its id when no group of that id is known. */
    public Optional<String> group(String user) {
        return of(user).map(a -> a.group() != null ? a.group() : Long.toString(a.gid()));
    }

    /** The user's name as the GECOS field gives it (sreport's Proper Name); empty when the user is unknown here. */
    public Optional<String> properName(String user) {
        return of(user).map(Account::properName);
    }

    private Optional<Account> lookUp(String user) {
        String line = entry(read(passwd), user);
        if (line == null && askGetent) {
            line = entry(getent("passwd", user), user);
        }
        if (line == null) {
            return Optional.empty();
        }
        String[] f = line.split(":", -1);
        try {
            long uid = Long.parseLong(f[2]);
            long gid = Long.parseLong(f[3]);
            String gecos = f.length > 4 ? f[4] : "";
            int comma = gecos.indexOf(',');
            return Optional.of(new Account(user, uid, gid, groupName(gid), comma < 0 ? gecos
                    : gecos.substring(0, comma)));
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private String groupName(long gid) {
        if (groupNames == null) {
            groupNames = new HashMap<>();
            for (String line : read(groups)) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && f[2].matches("\\d{1,18}")) {
                    groupNames.putIfAbsent(Long.parseLong(f[2]), f[0]);
                }
            }
        }
        String name = groupNames.get(gid);
        if (name == null && askGetent) {
            List<String> found = getent("group", Long.toString(gid));
            name = found.isEmpty() ? null : found.get(0).split(":", -1)[0];
            groupNames.put(gid, name);
        }
        return name;
    }

    /** The passwd line of {@code user}, the first of that name as the C library takes it; null if none. */
    private static String entry(List<String> lines, String user) {
        String prefix = user + ":";
        for (String line : lines) {
            if (line.startsWith(prefix) && line.split(":", -1).length >= 4) {
                return line;
            }
        }
        return null;
    }

    private static List<String> read(Path file) {
        if (file == null) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * getent's answer for one key, bounded in time; nothing when getent is missing, slow or knows nothing. Its
     * output goes to a file, since a group of many members can fill a pipe before getent exits.
     */
    private static List<String> getent(String database, String key) {
        Path answer = null;
        try {
            answer = Files.createTempFile("cadre-getent", ".txt");
            Process p = new ProcessBuilder("getent", database, key).redirectOutput(answer.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(
                            new java.io.File("/dev/null"))).start();
            if (!p.waitFor(GETENT_WAIT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            return p.exitValue() == 0 ? Files.readAllLines(answer, StandardCharsets.UTF_8) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            if (answer != null) {
                try {
                    Files.deleteIfExists(answer);
                } catch (IOException e) {
                    answer.toFile().deleteOnExit();
                }
            }
        }
    }
}
