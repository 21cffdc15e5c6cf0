package dev.cadre.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
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
    /** The wrapper the perl launcher forks, which perl reads before the launcher (job-launcher.pl says why). */
    static final String PERL_WRAPPER = "job-wrapper.pl";
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

    /** perl and the launcher's text, after its wrapper's as one program: nothing is written to disk for it. */
    static List<String> perl(String perl) throws IOException {
        return List.of(perl, "-e", perlText(PERL_WRAPPER) + "\n" + perlText(PERL));
    }

    private static String perlText(String name) throws IOException {
        byte[] text = resource(name).orElseThrow(() -> new IOException(name + " is missing from the node-runner's jar"));
        return new String(text, StandardCharsets.UTF_8);
    }

    /**
     * The compiled launcher's command, its program written once into dir under a name its content fixes (so a
     * newer node-runner never rewrites a program a running launcher executes); empty where the jar holds none.
     * A root node runs it, so a file found there is run only when it is byte for byte the jar's program, in a
     * directory and a file nobody else can write ({@link PrivateDirectory}); anything else is written over. Comparing
     * the 28 KB costs about 25 us a start of the launcher, writing them fresh each time about 180 us and a disk write.
     */
    static Optional<List<String>> compiled(Path dir) throws IOException {
        Optional<byte[]> program = resource(compiledResource());
        if (program.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = program.get();
        PrivateDirectory.prepare(dir, "the job launcher's directory", null);
        Path file = dir.resolve("cadre-job-launcher-" + digest(bytes));
        if (!holds(file, bytes)) {
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

    /** Whether file is this node's own copy of program: a regular file of this user's, executable, only its own. */
    static boolean holds(Path file, byte[] program) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                || (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                        != PrivateDirectory.processUid()
                || (PrivateDirectory.mode(file) & 0722) != 0700 || Files.size(file) != program.length) {
            return false;
        }
        return Arrays.equals(Files.readAllBytes(file), program);
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
