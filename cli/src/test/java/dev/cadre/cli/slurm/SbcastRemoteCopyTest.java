package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ShellWord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command sbcast runs on each node, run here by bash as the exec relay runs it, the file on its standard
 * input: the copy arrives whole under the destination name with the source's mode and, asked, its times, or not at
 * all, with one line saying why; hostile names are only names.
 */
class SbcastRemoteCopyTest {
    private static final String HOSTILE = "it's a \"name\" with $(touch pwned) `x` ; & | \\ * and\nnewline";

    private record Run(int exit, String out, String err) {
    }

    private static Run run(SbcastRemoteCopy copy, byte[] input) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", copy.command()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input);
        } catch (IOException e) {
            // The command ended without reading: as the relay, the rest is dropped.
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the copy ends");
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static SbcastRemoteCopy copy(Path dest, byte[] data, int mode, boolean force, SbcastRemoteCopy.Times t)
            throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        return new SbcastRemoteCopy(dest.toString(), dest.getParent().toString(), data.length, sha, mode, force, t);
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theFileArrivesWholeWithTheSourcesModeUnderAHostileName(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dir 'with' $(quotes)"));
        Path dest = dir.resolve(HOSTILE);
        byte[] data = data(3 * 1024 * 1024 + 17);
        SbcastRemoteCopy copy = copy(dest, data, 0750, false, null);
        Run r = run(copy, data);
        assertEquals(new Run(0, copy.confirmation(), ""), r);
        assertArrayEquals(data, Files.readAllBytes(dest));
        assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dest)));
        assertEquals(List.of(HOSTILE), names(dir), "no temporary file is left");
        assertFalse(Files.exists(Path.of("pwned")) || Files.exists(tmp.resolve("pwned")), "nothing was run");
    }

    @Test
    void anExistingDestinationIsRefusedWithoutForceAndReplacedWithIt(@TempDir Path tmp) throws Exception {
        Path dest = tmp.resolve("a.out");
        Files.writeString(dest, "old");
        byte[] data = data(1000);
        Run refused = run(copy(dest, data, 0644, false, null), data);
        assertEquals(1, refused.exit());
        assertEquals("File exists: " + dest + " (sbcast -f replaces it)\n", refused.err());
        assertEquals("old", Files.readString(dest), "left as it was");
        assertEquals(List.of("a.out"), names(tmp));

        Files.delete(dest);
        Files.createSymbolicLink(dest, tmp.resolve("nowhere"));
        assertEquals(1, run(copy(dest, data, 0644, false, null), data).exit(), "a dangling link exists too");

        SbcastRemoteCopy forced = copy(dest, data, 0644, true, null);
        assertEquals(0, run(forced, data).exit());
        assertFalse(Files.isSymbolicLink(dest), "the link itself is replaced");
        assertArrayEquals(data, Files.readAllBytes(dest));
        assertEquals(List.of("a.out"), names(tmp));
    }

    @Test
    void aDirectoryAtTheDestinationOrNoneForItAreNamed(@TempDir Path tmp) throws Exception {
        byte[] data = data(10);
        Path sub = Files.createDirectory(tmp.resolve("sub"));
        Run isDir = run(copy(sub, data, 0644, true, null), data);
        assertEquals(new Run(1, "", "Is a directory: " + sub + "\n"), isDir);
        Path missing = tmp.resolve("nodir").resolve("f");
        Run noDir = run(copy(missing, data, 0644, false, null), data);
        assertEquals(new Run(1, "", "No such file or directory: there is no directory " + tmp.resolve("nodir")
                + "\n"), noDir);
        assertEquals(List.of("sub"), names(tmp));
        assertEquals(List.of(), names(sub));
    }

    @Test
    void aCopyCutShortOrChangedLeavesNothingAtTheDestination(@TempDir Path tmp) throws Exception {
        Path dest = tmp.resolve("f");
        byte[] data = data(200_000);
        Run cut = run(copy(dest, data, 0644, false, null), java.util.Arrays.copyOf(data, 150_000));
        assertEquals(new Run(1, "", "the copy has 150000 bytes where the source has 200000: it was cut short\n"),
                cut);
        byte[] changed = data.clone();
        changed[5] ^= 1;
        Run differs = run(copy(dest, data, 0644, false, null), changed);
        assertEquals(1, differs.exit());
        assertTrue(differs.err().startsWith("the copy's SHA-256 is "), differs.err());
        assertEquals(List.of(), names(tmp), "neither the destination nor a temporary file");
    }

    @Test
    void preserveGivesTheSourcesTimes(@TempDir Path tmp) throws Exception {
        Path dest = tmp.resolve("f");
        byte[] data = data(10);
        Instant atime = Instant.parse("2020-01-02T03:04:05.123456789Z");
        Instant mtime = Instant.parse("2019-06-07T08:09:10.5Z");
        SbcastRemoteCopy.Times times = new SbcastRemoteCopy.Times(atime.getEpochSecond(), atime.getNano(),
                mtime.getEpochSecond(), mtime.getNano());
        assertEquals(0, run(copy(dest, data, 0600, false, times), data).exit());
        assertEquals(FileTime.from(mtime), Files.getLastModifiedTime(dest));
        assertEquals(FileTime.from(atime), Files.getAttribute(dest, "lastAccessTime"));
        assertEquals("@1578020645.000000001", SbcastRemoteCopy.Times.touchDate(1578020645, 1));
    }

    @Test
    void quotingGivesBashBackTheWord() throws Exception {
        for (String word : List.of("", "plain", "'", "a'b''c", HOSTILE, "-n", "\\'")) {
            Process p = new ProcessBuilder("bash", "-c", "printf %s " + ShellWord.quote(word)).start();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(word, new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("'it'\\''s'", ShellWord.quote("it's"));
    }
}
