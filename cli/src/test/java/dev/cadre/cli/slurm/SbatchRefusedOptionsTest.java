package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Options sbatch warns about, refuses, or that getopt complains of, on the command line and in the script. */
class SbatchRefusedOptionsTest extends SbatchFixture {

    @Test
    void ignoredOptionsWarnOncePerOption() throws Exception {
        files.put("w.sh", "#!/bin/sh\n#SBATCH -p gpu\n#SBATCH --account=proj\n");
        SbatchRequest request = parse("-A", "cpu", "-q", "high", "-C", "avx", "--comment", "hello", "w.sh");
        assertEquals(List.of(
                "sbatch: warning: --account is ignored: Cadre has no accounts",
                "sbatch: warning: --qos is ignored: Cadre has no QOS levels",
                "sbatch: warning: --constraint is ignored: Cadre nodes have no features",
                "sbatch: warning: --comment is ignored: Cadre keeps no job comments"), request.warnings());
        assertEquals(List.of("sbatch: warning: --account is ignored: Cadre has no accounts"),
                parse("-A", "x", "job.sh").warnings());
    }

    @Test
    void optionsForLaterVersionsAreRefused() {
        for (String[] argv : List.of(new String[] {"--delay-boot=5"}, new String[] {"--gpus-per-socket=2"},
                new String[] {"--mem-per-gpu=1G"})) {
            String option = argv[0].startsWith("--") ? argv[0].replaceAll("=.*", "") : longNameOf(argv[0]);
            assertEquals(option + " is not supported by this Cadre version", error(append(argv, "job.sh")));
        }
    }

    @Test
    void otherRealSbatchOptionsAreRefusedToo() {
        assertEquals("--propagate is not supported by this Cadre version", error("--propagate=ALL", "job.sh"));
        assertEquals("--wait-all-nodes is not supported by this Cadre version", error("--wait-all=1", "job.sh"));
        assertEquals("--overcommit is not supported by this Cadre version", error("-O", "job.sh"));
    }

    @Test
    void refusedOptionsInTheScriptToo() {
        files.put("a.sh", "#!/bin/sh\n#SBATCH --delay-boot=5\n");
        assertEquals("--delay-boot is not supported by this Cadre version", error("a.sh"));
    }

    @Test
    void getoptErrors() throws Exception {
        assertEquals("unrecognized option '--foo'", getoptError("--foo", "job.sh"));
        assertEquals("unrecognized option '--foo=bar'", getoptError("--foo=bar", "job.sh"));
        assertEquals("option '--tim' is ambiguous; possibilities: '--time' '--time-min'",
                getoptError("--tim=5", "job.sh"));
        assertEquals("option '--mem-per' is ambiguous; possibilities: '--mem-per-cpu' '--mem-per-gpu'",
                getoptError("--mem-per", "1G", "job.sh"));
        assertEquals("invalid option -- 'z'", getoptError("-z", "job.sh"));
        assertEquals("invalid option -- 'z'", getoptError("-vz", "job.sh"));
        assertEquals("option '--time' requires an argument", getoptError("--time"));
        assertEquals("option requires an argument -- 't'", getoptError("-t"));
        assertEquals("option '--parsable' doesn't allow an argument", getoptError("--parsable=yes", "job.sh"));
        assertEquals("option '--parsable' doesn't allow an argument", getoptError("--pars=yes", "job.sh"));
        assertEquals("option '--dependency' requires an argument", getoptError("--dep"));
        assertEquals("--reboot is not supported by this Cadre version", error("--reb", "job.sh"));
        assertTrue(parse("--test", "job.sh").testOnly(), "--test is --test-only, as getopt takes it");
        assertFalse(parse("job.sh").testOnly());
    }

    private static String longNameOf(String shortOption) {
        return "--" + SbatchOption.byShortName(shortOption.charAt(1)).longName();
    }

    private static String[] append(String[] argv, String last) {
        String[] all = Arrays.copyOf(argv, argv.length + 1);
        all[argv.length] = last;
        return all;
    }
}
