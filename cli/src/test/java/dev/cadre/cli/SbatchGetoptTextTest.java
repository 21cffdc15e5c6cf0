package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What sbatch prints for an option getopt refuses: Slurm's two lines, before any head is asked. */
class SbatchGetoptTextTest {
    private static List<Object> sbatch(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new SlurmCommands(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "/nonexistent/client.json")
                .sbatch(List.of(args), false);
        return List.of(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void getoptsComplaintIsFollowedByTheLineThatPointsToHelp() {
        String help = "Try \"sbatch --help\" for more information\n";
        assertEquals(List.of(1, "", "sbatch: unrecognized option '--bogus'\n" + help),
                sbatch("--bogus", "--wrap", "x"));
        assertEquals(List.of(1, "", "sbatch: invalid option -- 'z'\n" + help), sbatch("-z", "--wrap", "x"));
        assertEquals(List.of(1, "", "sbatch: option requires an argument -- 't'\n" + help), sbatch("-t"));
        assertEquals(List.of(1, "", "sbatch: option '--tim' is ambiguous; possibilities: '--time' '--time-min'\n"
                + help), sbatch("--tim=5", "--wrap", "x"));
        assertEquals(List.of(1, "", "sbatch: error: --reboot is not supported by this Cadre version\n"),
                sbatch("--reboot", "--wrap", "x"), "Cadre's own refusals are errors, with no such line");
    }
}
