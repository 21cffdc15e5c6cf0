package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** glibc getopt_long as Slurm's commands use it, with glibc's complaints and Slurm's hint. */
class GetoptTest {
    private static final Getopt OPTS = new Getopt("squeue", List.of(Getopt.Option.flag("noheader", 'h'),
            Getopt.Option.flag("noconvert", (char) 0), Getopt.Option.value("format", 'o'),
            Getopt.Option.value("users", 'u'), Getopt.Option.value("users", 'u').alias("user"),
            Getopt.Option.optional("jobs", 'j')));

    private static List<String> uses(Getopt g, String... args) throws SlurmUsageException {
        return g.parse(List.of(args)).uses().stream().map(u -> u.key() + "=" + u.value()).toList();
    }

    @Test
    void shortBundledAttachedAndLongForms() throws Exception {
        assertEquals(List.of("noheader=null", "format=%i", "users=bob", "format=x", "users=al"),
                uses(OPTS, "-ho%i", "--users", "bob", "--format=x", "-ual"));
        assertEquals(List.of("users=a", "users=b"), uses(OPTS, "--user=a", "--use", "b"));
        assertEquals(List.of("jobs=null", "jobs=5"), uses(OPTS, "-j", "--jobs=5"));
    }

    @Test
    void operandsMayComeAnywhereUnlessInOrder() throws Exception {
        assertEquals(List.of("12", "13"), OPTS.parse(List.of("12", "-h", "13")).operands());
        assertEquals(List.of("-h", "x"), OPTS.parse(List.of("--", "-h", "x")).operands());
        Getopt srun = new Getopt("srun", List.of(Getopt.Option.flag("label", 'l')), true);
        assertEquals(List.of("hostname", "-l"), srun.parse(List.of("-l", "hostname", "-l")).operands());
    }

    @Test
    void glibcsComplaints() {
        assertEquals(List.of("squeue: unrecognized option '--bogus'", "Try \"squeue --help\" for more information"),
                assertThrows(SlurmUsageException.class, () -> OPTS.parse(List.of("--bogus"))).lines());
        assertEquals("squeue: invalid option -- 'z'", first("-hz"));
        assertEquals("squeue: option requires an argument -- 'o'", first("-o"));
        assertEquals("squeue: option '--format' requires an argument", first("--format"));
        assertEquals("squeue: option '--noheader' doesn't allow an argument", first("--noheader=1"));
        assertEquals("squeue: option '--no' is ambiguous; possibilities: '--noheader' '--noconvert'", first("--no"));
    }

    private static String first(String... args) {
        return assertThrows(SlurmUsageException.class, () -> OPTS.parse(List.of(args))).lines().get(0);
    }
}
