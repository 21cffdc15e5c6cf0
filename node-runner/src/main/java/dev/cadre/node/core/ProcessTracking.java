package dev.cadre.node.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a node tells which processes are a job's, decided once at the node's start. By cgroup where the node can
 * make cgroups in a cgroup2 hierarchy: a process can leave its session (setsid, a double-forking daemon) but not
 * its cgroup, so kills and the "is anything of the job left" check then miss nothing. By session otherwise (no
 * cgroup2 mounted, a node not run as root). Pure: the shell reads /proc and tries the directories this names.
 */
public final class ProcessTracking {
    /** What the operator asked for ({@code --process-tracking}). */
    public enum Mode {
        AUTO, CGROUP, SESSION;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the choices */
        public static Mode byName(String name) {
            for (Mode m : values()) {
                if (m.configName().equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--process-tracking must be auto, cgroup or session, not '" + name
                    + "'");
        }
    }

    /** What the node does: the directory its attempts' cgroups go in, or sessions and why. */
    public sealed interface Decision permits ByCgroup, BySession {
    }

    public record ByCgroup(Path nodeGroup) implements Decision {
    }

    public record BySession(String reason) implements Decision {
    }

    /** An attempt's cgroup name, or one of a remote command it runs here ({@code exec} then its number). */
    public record GroupName(long jobId, int attempt, long exec) {
        public static final long NONE = -1;

        public boolean isExec() {
            return exec != NONE;
        }

        public String text() {
            return jobId + "-" + attempt + (isExec() ? "-exec-" + exec : "");
        }

        /** Empty for a name this node never makes: it is left alone. */
        public static Optional<GroupName> parse(String name) {
            String[] parts = name.split("-", -1);
            try {
                if (parts.length == 2) {
                    return Optional.of(new GroupName(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), NONE));
                }
                if (parts.length == 4 && parts[2].equals("exec")) {
                    long exec = Long.parseLong(parts[3]);
                    if (exec >= 0) {
                        return Optional.of(new GroupName(Long.parseLong(parts[0]), Integer.parseInt(parts[1]),
                                exec));
                    }
                }
            } catch (NumberFormatException e) {
                // not ours
            }
            return Optional.empty();
        }
    }

    private ProcessTracking() {
    }

    /**
     * The mount point of the first cgroup2 hierarchy in /proc/self/mountinfo, with the root of the hierarchy it
     * shows (field 4: "/" but in a container that sees only part of it). Octal escapes (\040 for a space) decoded.
     */
    public static Optional<Mount> cgroup2Mount(String mountinfo) {
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] before = line.substring(0, dash).split(" ");
            String[] after = line.substring(dash + 3).split(" ");
            if (before.length >= 5 && after.length >= 1 && after[0].equals("cgroup2")) {
                return Optional.of(new Mount(Path.of(unescape(before[4])), unescape(before[3])));
            }
        }
        return Optional.empty();
    }

    /** @param root the hierarchy's directory mounted there, as /proc/self/cgroup names cgroups */
    public record Mount(Path point, String root) {
    }

    /** The process's cgroup in the v2 hierarchy: the path of the {@code 0::} line of /proc/self/cgroup. */
    public static Optional<String> ownCgroup(String procSelfCgroup) {
        for (String line : procSelfCgroup.split("\n")) {
            if (line.startsWith("0::")) {
                return Optional.of(line.substring(3).strip());
            }
        }
        return Optional.empty();
    }

    /**
     * Where the node's cgroup directory ({@code nodeName}) may go, in the order to try: under the node-runner's own
     * cgroup, unless that is the hierarchy's root (or not inside what is mounted); then under {@code cadre} at the
     * mount's root.
     */
    public static List<Path> candidates(Mount mount, Optional<String> own, String nodeName) {
        List<Path> out = new ArrayList<>();
        if (own.isPresent()) {
            String path = own.get();
            String root = mount.root().equals("/") ? "" : mount.root();
            if (path.startsWith(root + "/") && path.length() > root.length() + 1 && !path.contains("/../")
                    && !path.endsWith("/..")) {
                out.add(mount.point().resolve(path.substring(root.length() + 1)).resolve(nodeName));
            }
        }
        out.add(mount.point().resolve("cadre").resolve(nodeName));
        return out;
    }

    /**
     * The decision, given what the shell found.
     *
     * @param created the node directory the shell could make, if any
     * @param whyNot when none, why (no cgroup2 mounted, which directories failed and how)
     * @throws IllegalStateException when cgroups were asked for and cannot be had, naming why
     */
    public static Decision decide(Mode requested, Optional<Path> created, String whyNot) {
        if (requested == Mode.SESSION) {
            return new BySession("configured (--process-tracking session)");
        }
        if (created.isPresent()) {
            return new ByCgroup(created.get());
        }
        if (requested == Mode.CGROUP) {
            throw new IllegalStateException("--process-tracking cgroup: no cgroup can be used: " + whyNot);
        }
        return new BySession(whyNot);
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
