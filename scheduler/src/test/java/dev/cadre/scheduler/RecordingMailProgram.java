package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real mail program for the head's tests (a shell script that writes down how it was called), run as Slurm runs
 * MailProg, and what it wrote: "-s|SUBJECT|RECIPIENT|BODY" per mail in mail.log; for a recipient hang@... it hangs
 * (30 s at most) and for fail@... it fails, noting the subject in "hanging" or "failed".
 */
final class RecordingMailProgram {
    private final Path dir;

    RecordingMailProgram(Path dir) {
        this.dir = dir;
    }

    Path script() throws IOException {
        Path script = dir.resolve("mail.sh");
        Files.writeString(script, "#!/bin/sh\n"
                + "case \"$3\" in\n"
                + "  hang@*) echo \"$2\" >> '" + dir.resolve("hanging") + "'; exec sleep 30;;\n"
                + "  fail@*) echo \"$2\" >> '" + dir.resolve("failed") + "'; exit 3;;\n"
                + "esac\n"
                + "body=$(cat)\n"
                + "printf '%s|%s|%s|%s\\n' \"$1\" \"$2\" \"$3\" \"$body\" >> '" + dir.resolve("mail.log") + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** The lines of one of its files (mail.log, hanging, failed); none while it has not written it. */
    List<String> lines(String file) {
        Path p = dir.resolve(file);
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    BooleanSupplier mailed(int count) {
        return () -> lines("mail.log").size() >= count;
    }

    /** Waits for its files to make the condition true, woken by each change to them. */
    void await(String what, BooleanSupplier condition) throws IOException, InterruptedException {
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!condition.getAsBoolean()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                WatchKey changed = left > 0 ? watch.poll(left, TimeUnit.MILLISECONDS) : null;
                if (changed == null) {
                    fail("not within 20 s: " + what);
                }
                changed.pollEvents();
                changed.reset();
            }
        }
    }
}
