package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an attempt's wrapper does around the script, with real processes, however it starts: it outlives the
 * signals a script sends its own process group, reaps the orphans it adopts, records an end it cannot write by its
 * exit value alone, and keeps the job's environment from its own perl.
 */
@ParameterizedClass(name = "{argumentSetName}")
@MethodSource("dev.cadre.node.NodeUnderTest#starters")
class WrapperIntegrationTest extends NodeTestCase {
    @Parameter
    JobLauncher.Setup starter;

    @Test
    void aScriptSignallingItsOwnProcessGroupEndsAsTheScriptDoes() throws Exception {
        JobSupervisor s = node.supervisor(starter);
        // The wrapper shares the script's group; it died of the USR1, and the job was reported killed by it.
        s.launch(node.place(1, "trap 'echo caught' USR1; kill -USR1 0; exit 3"));
        RunnerEvent.RunnerFinished trapped = node.finished(1);
        assertEquals(List.of(3, 0), List.of(trapped.exitCode(), trapped.signal()));
        assertNull(trapped.killedFor());
        // A script clearing up its whole group as it exits, itself spared.
        s.launch(node.place(2, "sleep 300 & trap 'trap \"\" TERM; kill 0' EXIT; exit 0"));
        RunnerEvent.RunnerFinished cleared = node.finished(2);
        assertEquals(List.of(0, 0), List.of(cleared.exitCode(), cleared.signal()));
        assertEquals("caught\n", Files.readString(work.resolve("slurm-1.out")));
    }

    @Test
    void aCancelStillEndsTheScriptWithItsSigtermAndNotAfterTheGrace() throws Exception {
        JobSupervisor s = node.supervisor(starter);
        s.launch(node.place(3, "touch started; " + node.untilReleased()));
        node.awaitFile("started");
        s.kill(new NodeCommand.KillJob(3, 1, JobState.CANCELLED));
        RunnerEvent.RunnerFinished f = node.finished(3);
        assertEquals(JobState.CANCELLED, f.killedFor());
        assertEquals(15, f.signal(), "the script died of SIGTERM, not of the SIGKILL after the grace");
    }

    /** The zombies among the process's children, from /proc. */
    private static List<Long> zombieChildren(long parent) throws IOException {
        List<Long> zombies = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                String[] fields = ProcessGroups.statFields(entry, 3);
                if (fields.length > 1 && fields[0].equals("Z") && Long.parseLong(fields[1]) == parent) {
                    zombies.add(Long.parseLong(entry.getFileName().toString()));
                }
            }
        }
        return zombies;
    }

    @Test
    void orphansTheWrapperAdoptsAreReapedWhileTheScriptRuns() throws Exception {
        // The fallback wrapper is no subreaper: its job's orphans go to init, and none may be left here either.
        JobSupervisor s = node.supervisor(starter);
        s.launch(node.place(4, "for i in $(seq 50); do (sleep 0 &); done; touch forked; " + node.untilReleased()));
        long wrapper = node.wrapperPid(4);
        node.awaitFile("forked");
        await("no zombie left among the wrapper's children", NodeUnderTest.WAIT, () -> {
            try {
                return zombieChildren(wrapper).isEmpty();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        node.release();
        assertEquals(0, node.finished(4).exitCode());
    }

    @Test
    void aBatchOnlySignalReachesTheScriptAndNoOrphanTheWrapperAdopted() throws Exception {
        // Only a launcher's wrapper adopts the orphan; under the fallback the signal must still reach the script alone.
        JobSupervisor s = node.supervisor(starter);
        String orphan = "( ( trap 'touch orphan-usr1' USR1; trap 'touch orphan-usr2' USR2; touch orphan-ready;"
                + " while true; do sleep 0.05; done ) & )\n";
        // Ends with exit 0, not with the status of a sleep of the loop that the USR2 below ended.
        s.launch(node.place(5, orphan + "trap 'touch script-usr1' USR1; trap 'touch script-usr2' USR2\n"
                + "touch script-ready\n" + node.untilReleased() + "exit 0"));
        long wrapper = node.wrapperPid(5);
        node.awaitFile("orphan-ready");
        node.awaitFile("script-ready");
        long children = NodeUnderTest.launches(starter) ? 2 : 1;
        await("the orphan to be the wrapper's child beside the script, if this wrapper adopts", NodeUnderTest.WAIT,
                () -> ProcessHandle.of(wrapper).map(h -> h.children().count()).orElse(0L) == children);
        // What no head sends, but a node must not choke on: logged and dropped, never thrown (a thrown command is
        // redelivered, failing again each time, and then dead-lettered).
        for (String unusable : Arrays.asList(null, "", "-9", "0", "65", "usr1", "TERM; true", "S".repeat(10_000))) {
            assertDoesNotThrow(() -> s.signal(new NodeCommand.SignalAttempt(5, 1, unusable, false)), unusable);
        }
        s.signal(new NodeCommand.SignalAttempt(5, 1, "USR1", true));
        node.awaitFile("script-usr1");
        // Sent after it to every process of the job: had the orphan got the USR1, its trap would have run first.
        s.signal(new NodeCommand.SignalAttempt(5, 1, "USR2", false));
        node.awaitFile("orphan-usr2");
        assertFalse(Files.exists(work.resolve("orphan-usr1")), "the batch script's signal reached an orphan");
        node.release();
        assertEquals(0, node.finished(5).exitCode());
    }

    @Test
    void anEndTheWrapperCannotRecordIsReportedFromItsExitValue() throws Exception {
        // The status file's temporary name made a link to /dev/full, on which every write fails with ENOSPC.
        node.supervisor(starter).launch(node.place(6, "ln -s /dev/full \"$(dirname \"$0\")/status.tmp\"; exit 4"));
        RunnerEvent.RunnerFinished f = node.finished(6);
        assertEquals(List.of(4, 0), List.of(f.exitCode(), f.signal()));
        assertTrue(Files.readString(work.resolve("slurm-6.out")).contains("cadre: cannot record the job's end in "
                + state.resolve("jobs/6-1/status") + ": No space left on device"));
    }

    @Test
    void theJobsEnvironmentReachesTheScriptAndNotTheWrappersPerl() throws Exception {
        // Given to the wrapper's perl it loaded the module, or failed for want of it, before anything ran.
        node.supervisor(starter).launch(node.place(7, "echo \"$PERL5OPT\" \"$PERL5LIB\"; exit 5", node.spec()
                .environment(Map.of("PERL5OPT", "-MCadre::NoSuchModule", "PERL5LIB", "/nonexistent/lib"))));
        assertEquals(5, node.finished(7).exitCode());
        assertEquals("-MCadre::NoSuchModule /nonexistent/lib\n", Files.readString(work.resolve("slurm-7.out")));
    }
}
