package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled launcher a root node runs: only ever the jar's own program. The build here has a C compiler. */
class LauncherProgramTest {
    @TempDir
    Path state;
    Path bin;
    byte[] program;

    @BeforeEach
    void readProgram() throws Exception {
        assertTrue(LauncherProgram.compiledBuilt(), "the build made no " + LauncherProgram.compiledResource());
        try (InputStream in = LauncherProgram.class.getResourceAsStream(LauncherProgram.compiledResource())) {
            program = in.readAllBytes();
        }
        bin = state.resolve("bin");
    }

    private Path launcher() throws Exception {
        return Path.of(LauncherProgram.compiled(bin).orElseThrow().get(0));
    }

    @Test
    void aPlantedProgramOfTheRightNameAndSizeIsWrittenOverBeforeItRuns() throws Exception {
        Path file = launcher();
        // As in review 48: a script under the launcher's name, padded to its size, executable.
        byte[] planted = Arrays.copyOf("#!/bin/sh\nid > /tmp/owned\n".getBytes(), program.length);
        Arrays.fill(planted, 26, planted.length, (byte) '#');
        Files.write(file, planted);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(file, launcher());
        assertArrayEquals(program, Files.readAllBytes(file));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void theProgramIsWrittenOverWhenAnotherUserOwnsItOrMayWriteIt() throws Exception {
        Path file = launcher();
        Files.setAttribute(file, "unix:uid", 65534);
        launcher();
        assertEquals(PrivateDirectory.processUid(), Files.getAttribute(file, "unix:uid"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxrwxrwx"));
        Object before = Files.readAttributes(file, "unix:ino").get("ino");
        launcher();
        assertTrue(!before.equals(Files.readAttributes(file, "unix:ino").get("ino")), "a fresh copy");
    }

    @Test
    void itsOwnCopyIsRunAsItIs() throws Exception {
        Path file = launcher();
        Object before = Files.readAttributes(file, "unix:ino").get("ino");
        assertEquals(file, launcher());
        assertEquals(before, Files.readAttributes(file, "unix:ino").get("ino"));
    }

    @Test
    void theDirectoryIsTheOwnersAloneAndAPlantedOneIsRefused() throws Exception {
        Files.createDirectory(bin, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        launcher();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bin)));
        Files.setAttribute(bin, "unix:uid", 65534);
        var e = assertThrows(PrivateDirectory.Refused.class, this::launcher);
        assertTrue(e.getMessage().startsWith("the job launcher's directory " + bin + " belongs to uid 65534"),
                e.getMessage());
    }
}
