package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sbcast's command line as opts.c reads it: SBCAST_* variables under getopt_long's options, then SOURCE DEST. */
class SbcastCommandLineTest {
    private static SbcastCommandLine parse(Map<String, String> env, String... args) throws SlurmUsageException {
        return SbcastCommandLine.parse(List.of(args), env, "/home/u/run");
    }

    @Test
    void optionsShortLongAndBundledAreRead() throws Exception {
        SbcastCommandLine line = parse(Map.of(), "-fpv", "-F", "3", "--timeout=20", "-s", "2m", "-Clz4",
                "--exclude=/usr/lib", "-j", "12.batch", "a.out", "/tmp/a.out");
        assertTrue(line.force() && line.preserve());
        assertEquals(1, line.verbose());
        assertEquals(3, line.fanout());
        assertEquals(20, line.timeoutSeconds());
        assertEquals(2 * 1024 * 1024, line.blockSize());
        assertEquals("lz4", line.compress());
        assertEquals("/usr/lib", line.exclude());
        assertEquals("12.batch", line.jobId());
        assertEquals("a.out", line.source());
        assertEquals("/tmp/a.out", line.destination());
        assertEquals("/tmp", line.destinationDirectory());
        assertNull(line.help());
        assertEquals(0xfffd, parse(Map.of(), "--treewidth=off", "a", "/b").fanout());
        assertEquals(0, parse(Map.of(), "--fan=x", "a", "/b").fanout(), "atoi of no number");
    }

    @Test
    void aRelativeDestinationIsUnderTheCurrentDirectoryAndATrailingSlashIsRefused() throws Exception {
        assertEquals("/home/u/run/sub/x", parse(Map.of(), "a", "sub/x").destination());
        assertEquals("/home/u/run", parse(Map.of(), "a", "x").destinationDirectory());
        assertEquals("/", parse(Map.of(), "a", "/x").destinationDirectory());
        for (String dest : new String[] {"/tmp/", "sub/"}) {
            SlurmUsageException e = assertThrows(SlurmUsageException.class, () -> parse(Map.of(), "a", dest));
            assertEquals(List.of("sbcast: error: Target filename cannot be a directory."), e.lines());
        }
    }

    @Test
    void variablesSetOptionsAndTheCommandLineWins() throws Exception {
        Map<String, String> env = Map.of("SBCAST_FORCE", "", "SBCAST_PRESERVE", "0", "SBCAST_FANOUT", "2",
                "SBCAST_TIMEOUT", "7", "SBCAST_SIZE", "4k", "SBCAST_COMPRESS", "zlib", "SBCAST_EXCLUDE", "NONE");
        SbcastCommandLine line = parse(env, "a", "/b");
        assertTrue(line.force() && line.preserve(), "set whatever their value");
        assertEquals(2, line.fanout());
        assertEquals(7, line.timeoutSeconds());
        assertEquals(4096, line.blockSize());
        assertEquals("zlib", line.compress());
        assertEquals("NONE", line.exclude());
        SbcastCommandLine over = parse(env, "-F5", "-t", "9", "--compress=none", "a", "/b");
        assertEquals(5, over.fanout());
        assertEquals(9, over.timeoutSeconds());
        assertNull(over.compress());
        assertEquals(4, parse(Map.of("SBCAST_TREE_WIDTH", "4", "SBCAST_FANOUT", "2"), "a", "/b").fanout());
        assertFalse(parse(Map.of(), "a", "/b").force());
    }

    @Test
    void valuesSbcastIgnoresAreSaidAndIgnored() throws Exception {
        SbcastCommandLine line = parse(Map.of("SBCAST_SEND_LIBS", "maybe"), "-s", "12q", "--compress=bz2",
                "--send-libs=no", "a", "/b");
        assertEquals(0, line.blockSize());
        assertNull(line.compress());
        assertEquals(List.of("sbcast: error: Ignoring unrecognized SBCAST_SEND_LIBS value 'maybe'",
                "size specification is invalid, ignored",
                "sbcast: error: Compression type 'bz2' unknown, disabling compression support."), line.warnings());
    }

    @Test
    void helpUsageAndVersionPrintTheirTexts() throws Exception {
        assertEquals(SbcastCommandLine.HELP, parse(Map.of(), "--help").help());
        assertEquals("Usage: sbcast [--exclude] [-CfFjpvV] [--send-libs] SOURCE DEST\n",
                parse(Map.of(), "--usage").help());
        assertEquals(CommandOptions.VERSION, parse(Map.of(), "-V", "a").help());
    }

    @Test
    void wrongOperandsAndUnknownOptionsGetSbcastsLines() {
        SlurmUsageException one = assertThrows(SlurmUsageException.class, () -> parse(Map.of(), "-f", "a"));
        assertEquals(List.of("Need two file names, have 1 names", "Try \"sbcast --help\" for more information"),
                one.lines());
        SlurmUsageException bogus = assertThrows(SlurmUsageException.class, () -> parse(Map.of(), "--bogus", "a",
                "b"));
        assertEquals(List.of("sbcast: unrecognized option '--bogus'", "Try \"sbcast --help\" for more information"),
                bogus.lines());
        assertEquals(1, bogus.exitCode());
    }

    @Test
    void whatCadreCannotDoIsRefusedByName() {
        for (String[] args : new String[][] {{"-w", "n1", "a", "/b"}, {"-Z", "a", "/b"}, {"--send-libs", "a", "/b"},
                {"--send-libs=yes", "a", "/b"}}) {
            SlurmUsageException e = assertThrows(SlurmUsageException.class, () -> parse(Map.of(), args));
            assertTrue(e.getMessage().startsWith("sbcast: error: --") && e.getMessage().contains("not supported"),
                    e.getMessage());
        }
        SlurmUsageException env = assertThrows(SlurmUsageException.class,
                () -> parse(Map.of("SBCAST_SEND_LIBS", "yes"), "a", "/b"));
        assertTrue(env.getMessage().startsWith("sbcast: error: SBCAST_SEND_LIBS is not supported"), env.getMessage());
    }

    @Test
    void verboseOptionLinesSayWhatCadreDoesWithEach() throws Exception {
        List<String> lines = parse(Map.of(), "-v", "-C", "a", "/b").optionLines();
        assertTrue(lines.contains("sbcast: compress   = lz4 (Cadre sends the file uncompressed)"), lines.toString());
        assertTrue(lines.contains("sbcast: dest       = /b"), lines.toString());
    }
}
