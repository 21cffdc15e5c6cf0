package dev.cadre.node.core;

import dev.cadre.protocol.ResourceUsage;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The status file a remote command's sh wrapper writes once the command's bash has ended (CommandWrapper): bash's
 * exit status on the first line, then what the shell's {@code times} builtin prints, its own user and system CPU
 * time on one line and that of its waited-for children (bash and every process bash or its descendants waited for)
 * on the next, each as {@code NmS.FFFs} (POSIX's {@code %dm%fs}; dash, bash and busybox differ in the digits of
 * the fraction, bash writes the locale's decimal comma). Then the read_bytes and write_bytes of the wrapper's own
 * /proc/PID/io before bash and after it, {@code R0 W0 R W} ({@code -} for one it could not read): the bytes bash and
 * the processes waited for read from and wrote to storage are the differences. Wrappers before usage wrote the first
 * line alone, which still reads, with no usage, and those before disk figures no fourth line, which reads with those
 * unknown. The shell gives no memory figure; its clock ticks make the times 10 ms coarse. Pure.
 *
 * @param usage the children's CPU time, null when the file has none (an older wrapper, or a line cut short)
 */
public record CommandStatus(int exitCode, ResourceUsage usage) {
    /** One time of {@code times}: minutes, seconds and an optional fraction. */
    private static final Pattern TIME = Pattern.compile("([0-9]{1,9})m\\s*([0-9]{1,9})(?:[.,]([0-9]{1,9}))?s");
    /** Two times on a line, user then system. */
    private static final Pattern TIMES = Pattern.compile(TIME.pattern() + "\\s+" + TIME.pattern());

    /** The status the text holds; empty when its first line is no exit status (0 to 255), as when cut short. */
    public static Optional<CommandStatus> parse(String text) {
        String[] lines = text.split("\n", -1);
        int exit;
        try {
            exit = Integer.parseInt(lines[0].strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (exit < 0 || exit > 255) {
            return Optional.empty();
        }
        // Line 2 is the wrapper's own time, which is Cadre's; line 3 its children's, which are the command.
        ResourceUsage usage = lines.length > 2 ? children(lines[2].strip()) : null;
        ProcessIo io = usage != null && lines.length > 3 ? io(lines[3].strip()) : null;
        if (io != null) {
            usage = new ResourceUsage(usage.userCpuMicros(), usage.systemCpuMicros(), null, null, io.readBytes(),
                    io.writeBytes());
        }
        return Optional.of(new CommandStatus(exit, usage));
    }

    /** The command's disk bytes from the line {@code R0 W0 R W}; null when any is unknown or the line is no such. */
    private static ProcessIo io(String line) {
        String[] f = line.split(" ", -1);
        if (f.length != 4) {
            return null;
        }
        long[] counts = new long[4];
        for (int i = 0; i < 4; i++) {
            counts[i] = ProcessTimes.count(f[i]);
            if (counts[i] < 0) {
                return null;
            }
        }
        return counts[2] < counts[0] || counts[3] < counts[1] ? null
                : new ProcessIo(counts[2] - counts[0], counts[3] - counts[1]);
    }

    private static ResourceUsage children(String line) {
        Matcher m = TIMES.matcher(line);
        if (!m.matches()) {
            return null; // a figure the command's status does without: its exit status still stands
        }
        return new ResourceUsage(micros(m.group(1), m.group(2), m.group(3)), micros(m.group(4), m.group(5),
                m.group(6)), null);
    }

    private static long micros(String minutes, String seconds, String fraction) {
        long micros = (Long.parseLong(minutes) * 60 + Long.parseLong(seconds)) * 1_000_000;
        if (fraction != null) {
            // The fraction's first six digits are microseconds, whatever the shell's precision.
            String six = (fraction + "000000").substring(0, 6);
            micros += Long.parseLong(six);
        }
        return micros;
    }
}
