package dev.cadre.cli.slurm;

import dev.cadre.protocol.ShellWord;
import java.util.List;

/**
 * What sbcast runs on each node: a bash command that reads the file from its standard input (the exec relay carries
 * it, protocol.md §13.10) into a new file beside the destination, checks its size and SHA-256 against the source's,
 * gives it the source's mode (and with {@code -p} its access and modification times), and only then renames it to
 * the destination, so that the destination name never holds a part of the file. Any failure removes the new file
 * and says why in one line on stderr (the words of the errno Slurm's node would report first: "File exists", "No
 * such file or directory", "Is a directory"); success prints {@link #confirmation}. Every path is passed quoted for
 * bash, so names with quotes, blanks, {@code $()} or newlines are only names.
 *
 * @param destination the absolute destination path
 * @param directory the directory it is in
 * @param size the source's size in bytes
 * @param sha256 the source's SHA-256, lower-case hex
 * @param mode the source's permission bits (07777)
 * @param force whether an existing destination is replaced (-f)
 * @param times the source's access and modification times (-p), or null to leave the copy's own
 */
public record SbcastRemoteCopy(String destination, String directory, long size, String sha256, int mode,
        boolean force, Times times) {

    /** Times as touch -d takes them: {@code @SECONDS.NANOSECONDS}. */
    public record Times(long accessSeconds, int accessNanos, long modifySeconds, int modifyNanos) {
        static String touchDate(long seconds, int nanos) {
            String n = Integer.toString(nanos);
            return "@" + seconds + "." + "000000000".substring(n.length()) + n;
        }
    }

    /** What a copy that arrived whole prints on stdout. */
    public String confirmation() {
        return "sbcast-ok " + size + " " + sha256 + "\n";
    }

    /** The command text, one word for the relay's bash. */
    public String command() {
        String octal = Integer.toOctalString(mode & 07777);
        StringBuilder s = new StringBuilder();
        s.append("d=").append(ShellWord.quote(destination)).append("; p=").append(ShellWord.quote(directory))
                .append("; t=\n");
        s.append("fail() { printf '%s\\n' \"$*\" >&2; exit 1; }\n");
        // The new file goes whatever ends the command: a failure, or the relay's hang-up (SIGTERM, SIGHUP).
        s.append("trap '[ -z \"$t\" ] || rm -f -- \"$t\"' EXIT\n");
        s.append("trap 'exit 143' TERM HUP INT PIPE\n");
        s.append("[ -d \"$p\" ] || fail \"No such file or directory: there is no directory $p\"\n");
        if (force) {
            s.append("if [ -d \"$d\" ] && [ ! -L \"$d\" ]; then fail \"Is a directory: $d\"; fi\n");
        } else {
            s.append("if [ -e \"$d\" ] || [ -L \"$d\" ]; then fail \"File exists: $d (sbcast -f replaces it)\"; fi\n");
        }
        s.append("command -v sha256sum >/dev/null || fail \"sha256sum is not installed, which sbcast checks the")
                .append(" copy with\"\n");
        s.append("t=$(mktemp -- \"$p/.sbcast.XXXXXXXX\") || { t=; fail \"cannot create a file in $p\"; }\n");
        s.append("cat > \"$t\" || fail \"cannot write $t\"\n");
        s.append("s=$(stat -c %s -- \"$t\") && [ \"$s\" = ").append(size)
                .append(" ] || fail \"the copy has ${s:-no} bytes where the source has ").append(size)
                .append(": it was cut short\"\n");
        s.append("h=$(sha256sum < \"$t\") && h=${h%% *} && [ \"$h\" = ").append(sha256)
                .append(" ] || fail \"the copy's SHA-256 is ${h:-unknown}, the source's ").append(sha256)
                .append("\"\n");
        s.append("chmod ").append(octal).append(" -- \"$t\" || fail \"cannot give $t mode ").append(octal)
                .append("\"\n");
        if (times != null) {
            s.append("touch -a -d ").append(Times.touchDate(times.accessSeconds(), times.accessNanos()))
                    .append(" -- \"$t\" && touch -m -d ")
                    .append(Times.touchDate(times.modifySeconds(), times.modifyNanos()))
                    .append(" -- \"$t\" || fail \"cannot set the times of $t\"\n");
        }
        if (force) {
            s.append("mv -f -T -- \"$t\" \"$d\" || fail \"cannot rename $t to $d\"\n");
        } else {
            // A link never replaces a name, so a file made there meanwhile is not overwritten; a file system without
            // hard links gets a rename that does not overwrite either.
            s.append("if ln -T -- \"$t\" \"$d\" 2>/dev/null; then rm -f -- \"$t\"\n");
            s.append("elif [ -e \"$d\" ] || [ -L \"$d\" ]; then fail \"File exists: $d (sbcast -f replaces it)\"\n");
            s.append("else mv -n -T -- \"$t\" \"$d\" && [ ! -e \"$t\" ] || fail \"cannot rename $t to $d\"; fi\n");
        }
        s.append("t=\n");
        s.append("printf 'sbcast-ok %s %s\\n' \"$s\" \"$h\"\n");
        return s.toString();
    }

    /** The relay's arguments: ssh's {@code -- HOST COMMAND}, the command one word. */
    public List<String> relayArguments(String host) {
        return List.of("--", host, command());
    }
}
