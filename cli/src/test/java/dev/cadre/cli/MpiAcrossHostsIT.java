package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.hosts.MpiRing;
import dev.cadre.cli.hosts.NetnsHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test bed carries real MPI: plain mpirun (no Cadre) in h1 spreads ring.c over h1..h3 through the bed's
 * ssh stand-in, with the flags a job on these hosts needs. Later MPI tests build on the same flags.
 */
class MpiAcrossHostsIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsNamespacesAndMpi() {
        NetnsHosts.assumeAvailable();
        MpiRing.assumeAvailable();
    }

    private record Outcome(int exit, String output) {
    }

    /** Runs ring.c with plain mpirun in h1 over the hosts of the hostfile. */
    private Outcome ring(int hostCount, String hostfileText, int ranks) throws Exception {
        Path ring = MpiRing.compile(dir);
        try (NetnsHosts hosts = NetnsHosts.create(hostCount)) {
            Path hostfile = Files.writeString(dir.resolve("hostfile"), hostfileText);
            Path log = dir.resolve("mpirun.log");
            Process p = hosts.start("h1", List.of("mpirun", "--allow-run-as-root",
                    "--mca", "plm_rsh_agent", hosts.rshAgent(), "--hostfile", hostfile.toString(),
                    "-np", "" + ranks, "--mca", "btl", "tcp,self", "--mca", "btl_tcp_if_include", "eth0",
                    "--mca", "oob_tcp_if_include", "eth0", "--mca", "mpi_yield_when_idle", "1", ring.toString()), log);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "mpirun ends within 60 s: " + CadreProcess.read(log));
            return new Outcome(p.exitValue(), CadreProcess.read(log));
        }
    }

    @Test
    void aTokenPassesThroughRanksOnThreeHosts() throws Exception {
        Outcome o = ring(4, "h1 slots=1\nh2 slots=2\nh3 slots=1\n", 4);
        assertEquals(0, o.exit(), o.output());
        for (String line : List.of("rank 0 of 4 on h1", "rank 1 of 4 on h2", "rank 2 of 4 on h2",
                "rank 3 of 4 on h3", "token 6 after 4 ranks (expected 6)")) {
            assertTrue(o.output().contains(line + "\n"), "'" + line + "' in:\n" + o.output());
        }
    }

    @Test
    void anUnknownHostFailsTheJobAtOnce() throws Exception {
        Outcome o = ring(2, "h1 slots=1\nnowhere slots=1\n", 2);
        assertNotEquals(0, o.exit(), o.output());
        assertTrue(o.output().contains("netns-hosts: unknown host 'nowhere'"), o.output());
    }
}
