package dev.cadre.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The two job launchers and how each is started. The compiled one (job-launcher.c, built by the node-runner's
 * build where a C compiler is found, into the jar beside this class for the build machine's architecture) costs a
 * trivial job about 1.4 ms of CPU less than the perl one (job-launcher.pl), which runs anywhere perl does.
 */
final class LauncherProgram {
    static final String PERL = "job-launcher.pl";
    /**
     * The compiled launcher's argument area, which its wrappers write "cadre-wrapper CLAIM" over (what
     * /proc/PID/cmdline shows): room for any claim whose path the system can open.
     */
    static final int SHOWN_ROOM = 8192;

    private LauncherProgram() {
    }

    /** The jar's entry of the compiled launcher for this machine's architecture. */
    static String compiledResource() {
        return "job-launcher-linux-" + System.getProperty("os.arch");
    }

    /** Whether the jar holds a compiled launcher for this machine. */
    static boolean compiledBuilt() {
        return JobLauncher.class.getResource(compiledResource()) != null;
    }

    /** perl and the launcher's text: nothing is written to disk for it. */
    static List<String> perl(String perl) throws IOException {
        return List.of(perl, "-e", new String(resource(PERL).orElseThrow(
                () -> new IOException(PERL + " is missing from the node-runner's jar")), StandardCharsets.UTF_8));
    }

    /**
     * The compiled launcher's command, its program written once into dir under a name its content fixes (so a
     * newer node-runner never rewrites a program a running launcher executes); empty where the jar holds none.
     */
    static Optional<List<String>> compiled(Path dir) throws IOException {
        Optional<byte[]> program = resource(compiledResource());
        if (program.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = program.get();
        Path file = dir.resolve("cadre-job-launcher-" + digest(bytes));
        if (!Files.isExecutable(file) || Files.size(file) != bytes.length) {
            Files.createDirectories(dir);
            Path temporary = Files.createTempFile(dir, "cadre-job-launcher", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                Files.write(temporary, bytes);
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
        return Optional.of(List.of(file.toString(), " ".repeat(SHOWN_ROOM)));
    }

    private static Optional<byte[]> resource(String name) throws IOException {
        try (InputStream in = JobLauncher.class.getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
