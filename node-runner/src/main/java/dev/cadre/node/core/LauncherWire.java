package dev.cadre.node.core;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pipes between the node-runner and its job launcher (job-launcher.pl in the node-runner's resources, which
 * reads what this writes): a request is one netstring of netstrings, so paths, names and values may hold any
 * character (newlines, spaces, '=', non-ASCII) and arrive byte for byte; each answer is one line of ASCII words
 * and numbers, but for a refusal's reason at its end.
 */
public final class LauncherWire {
    private LauncherWire() {
    }

    /**
     * One attempt's wrapper: the status file it records the script's end in, the claim it takes first, where it
     * runs, its streams (stdin null for /dev/null, stderr null for into stdout), its environment, its command, and
     * the cgroup it joins once it has its claim, before it runs anything (null for none; sent after the claim), and
     * the CPUs it binds itself to before it takes its claim ({@link CpuList#wire}, empty for none; sent after the
     * cgroup).
     */
    public record Launch(long id, Path status, Path claim, Path workDir, Path stdin, Path stdout, Path stderr,
            boolean append, Map<String, String> environment, List<String> command, Path cgroup, String cpus) {
        public Launch {
            if (!cpus.matches("(\\d{1,4}(,\\d{1,4})*)?")) {
                throw new IllegalArgumentException("'" + cpus + "' is no list of CPU ids");
            }
        }

        /** A wrapper bound to no CPUs. */
        public Launch(long id, Path status, Path claim, Path workDir, Path stdin, Path stdout, Path stderr,
                boolean append, Map<String, String> environment, List<String> command, Path cgroup) {
            this(id, status, claim, workDir, stdin, stdout, stderr, append, environment, command, cgroup, "");
        }

        /** A wrapper that joins no cgroup: the node tracks its jobs by session. */
        public Launch(long id, Path status, Path claim, Path workDir, Path stdin, Path stdout, Path stderr,
                boolean append, Map<String, String> environment, List<String> command) {
            this(id, status, claim, workDir, stdin, stdout, stderr, append, environment, command, null);
        }

        /** @throws IllegalArgumentException for what exec(2) cannot carry: a NUL anywhere, '=' in a name */
        public byte[] encode() {
            List<String> fields = new ArrayList<>(List.of("launch", Long.toString(id), status.toString(),
                    claim.toString(), cgroup == null ? "" : cgroup.toString(), cpus, workDir.toString(),
                    stdin == null ? "/dev/null" : stdin.toString(),
                    stdout.toString(), stderr == null ? "" : stderr.toString(), append ? "1" : "0",
                    Integer.toString(environment.size())));
            environment.forEach((name, value) -> {
                if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("the environment variable '" + name.replace('\0', '?')
                            + "' cannot be passed to a process");
                }
                fields.add(name);
                fields.add(value);
            });
            if (command.isEmpty()) {
                throw new IllegalArgumentException("no command to run");
            }
            for (String word : command) {
                if (word.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("a word of the command holds a NUL character");
                }
                fields.add(word);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Netstrings.write(out, Netstrings.encode(fields));
            return out.toByteArray();
        }
    }

    /** What the launcher says, one line each. */
    public sealed interface Answer permits Ready, Started, Refused, Ended {
    }

    /** The launcher takes requests. */
    public record Ready() implements Answer {
    }

    /** The request's wrapper was forked: its pid, which is also its session's and process group's id. */
    public record Started(long id, long pid) implements Answer {
    }

    /** Nothing was started for the request, for this reason. */
    public record Refused(long id, String reason) implements Answer {
    }

    /** A wrapper ended: its exit value as {@link Process#exitValue()} gives it (128 + N for signal N). */
    public record Ended(long pid, int exitValue) implements Answer {
    }

    /** @throws IllegalArgumentException for a line the launcher does not write */
    public static Answer answer(String line) {
        String[] words = line.split(" ", 3);
        try {
            switch (words[0]) {
                case "ready":
                    if (words.length == 1) {
                        return new Ready();
                    }
                    break;
                case "started":
                    if (words.length == 3) {
                        return new Started(Long.parseLong(words[1]), Long.parseLong(words[2]));
                    }
                    break;
                case "failed":
                    if (words.length == 3) {
                        return new Refused(Long.parseLong(words[1]), words[2]);
                    }
                    break;
                case "ended":
                    if (words.length == 3) {
                        return new Ended(Long.parseLong(words[1]), exitValue(Integer.parseInt(words[2])));
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // as any other line it does not write
        }
        throw new IllegalArgumentException("not an answer of the job launcher: " + line);
    }

    /** wait(2)'s status as an exit value: the exit code, or 128 + the signal that ended the process. */
    static int exitValue(int waitStatus) {
        int signal = waitStatus & 0x7f;
        return signal != 0 ? 128 + signal : (waitStatus >> 8) & 0xff;
    }
}
