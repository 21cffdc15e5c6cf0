package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.ClientFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real directories and links; nothing is opened, so the system's files are only ever named, never touched. */
class OutputDestinationsTest {
    @TempDir
    Path tmp;
    Path data;
    Path state;
    Path runtime;
    Path work;
    OutputDestinations destinations;

    @BeforeEach
    void cadreDirectories() throws Exception {
        data = Files.createDirectory(tmp.resolve("data"));
        Files.writeString(data.resolve(ClientFile.CLIENT_FILE), "{}");
        state = Files.createDirectory(data.resolve("node"));
        runtime = Files.createDirectory(tmp.resolve("run"));
        work = Files.createDirectory(tmp.resolve("work"));
        destinations = OutputDestinations.of(state, runtime);
    }

    private Optional<String> stdout(Path out) {
        return destinations.refusal(work, out, null);
    }

    @Test
    void ordinaryOutputsPass() throws Exception {
        assertEquals(Optional.empty(), destinations.refusal(work, work.resolve("slurm-1.out"),
                work.resolve("err.txt")));
        assertEquals(Optional.empty(), stdout(Path.of("/dev/null")));
        Path elsewhere = Files.createSymbolicLink(tmp.resolve("results"), Files.createDirectory(tmp.resolve("r")));
        assertEquals(Optional.empty(), stdout(elsewhere.resolve("out")), "a link to a place that is fine is fine");
        assertEquals(Optional.empty(), stdout(work.resolve("missing/dir/out")), "the open fails there, not here");
    }

    @Test
    void aLinkedDirectoryInThePathIsFollowed() throws Exception {
        Path lnk = Files.createSymbolicLink(tmp.resolve("lnk"), Path.of("/etc"));
        assertEquals(Optional.of("stdout " + lnk + "/cadre-test (really /etc/cadre-test) is under /etc; system files"
                + " are never job output"), stdout(lnk.resolve("cadre-test")));
        // The review's second case: the working directory a link, the output relative to it.
        Optional<String> r = destinations.refusal(lnk, lnk.resolve("cadre-test2"), null);
        assertEquals(Optional.of("stdout " + lnk + "/cadre-test2 (really /etc/cadre-test2) is under /etc; system"
                + " files are never job output"), r, "entering /etc is allowed, as the head allows it");
    }

    @Test
    void theOutputFileItselfALinkIsFollowedEvenWhenItLeadsNowhere() throws Exception {
        Path dangling = Files.createSymbolicLink(work.resolve("out"), Path.of("/etc/cron.d/cadre-test-missing"));
        assertTrue(stdout(dangling).orElseThrow().contains("(really /etc/cron.d/cadre-test-missing) is under /etc"));
        Path relative = Files.createSymbolicLink(work.resolve("rel"), Path.of("../../../../../../root/.bashrc"));
        assertEquals(Optional.of("stdout " + relative + " (really /root/.bashrc) is under /root/.bashrc; system"
                + " files are never job output"), stdout(relative));
        Path chain = Files.createSymbolicLink(work.resolve("chain"), dangling);
        assertTrue(stdout(chain).orElseThrow().contains("really /etc/cron.d/cadre-test-missing"));
    }

    @Test
    void cadresOwnDirectoriesAreRefused() throws Exception {
        Path toData = Files.createSymbolicLink(work.resolve("d"), data);
        assertEquals(Optional.of("stdout " + toData + "/secrets.json (really " + data + "/secrets.json) is in Cadre's"
                + " data directory " + data + ", whose files are Cadre's own"), stdout(toData.resolve("secrets.json")));
        assertTrue(stdout(state.resolve("records.db")).orElseThrow()
                .endsWith("is in the node's state directory " + state + ", whose files are Cadre's own"));
        assertTrue(stdout(runtime.resolve("jobs/1-1/status")).orElseThrow()
                .endsWith("is in the node's runtime directory " + runtime + ", whose files are Cadre's own"));
        assertTrue(destinations.refusal(state, work.resolve("out"), null).orElseThrow()
                .startsWith("working directory " + state + " is in the node's state directory"));
    }

    @Test
    void theStateDirectorysParentIsCadresOnlyWhenItHoldsCadresFiles() throws Exception {
        Path plain = Files.createDirectory(tmp.resolve("home"));
        Path nodeState = Files.createDirectory(plain.resolve("node"));
        OutputDestinations alone = OutputDestinations.of(nodeState, nodeState);
        assertEquals(Optional.empty(), alone.refusal(plain, plain.resolve("slurm-1.out"), null));
        assertTrue(alone.refusal(plain, nodeState.resolve("x"), null).isPresent());
        Files.writeString(plain.resolve(ClientFile.NODE_FILE), "{}");
        assertTrue(OutputDestinations.of(nodeState, nodeState).refusal(plain, plain.resolve("slurm-1.out"), null)
                .isPresent(), "a node's data directory with its node.json");
    }

    @Test
    void eachBadPathIsNamedAndALinkLoopIsRefused() throws Exception {
        Path proc = Files.createSymbolicLink(tmp.resolve("p"), Path.of("/proc/self"));
        Path loop = Files.createSymbolicLink(work.resolve("loop"), work.resolve("loop"));
        String r = destinations.refusal(proc, Path.of("/dev/null"), loop).orElseThrow();
        assertTrue(r.startsWith("working directory " + proc + " (really /proc/"), r);
        assertTrue(r.contains("; stderr " + loop + " cannot be followed: more than 40 symbolic links"), r);
    }
}
