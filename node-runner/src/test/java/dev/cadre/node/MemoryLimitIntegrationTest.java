package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A job over its memory request (--mem) is killed at once and ends OUT_OF_MEMORY, naming what it used; one within
 * it, or without one, runs to its end. Real processes that really hold the memory, tracked by session and by
 * cgroup.
 */
class MemoryLimitIntegrationTest extends NodeTestCase {
    /** Perl, which every node has (its launcher is Perl): a string of that many MiB, written, so resident. */
    private static String holding(int mib, int seconds) {
        return "perl -e '$x = \"x\" x (" + mib + " * 1024 * 1024); sleep " + seconds + "'\necho held\n";
    }

    private static final Pattern USED = Pattern.compile("used (\\d+) MiB of its 50 MiB memory limit");

    private void assertKilledForMemory(RunnerEvent.RunnerFinished f) throws Exception {
        assertEquals(JobState.OUT_OF_MEMORY, f.killedFor());
        assertEquals(9, f.signal(), "killed at once, no SIGTERM first");
        Matcher used = USED.matcher(f.error() == null ? "" : f.error());
        assertTrue(used.matches(), "error: " + f.error());
        assertTrue(Integer.parseInt(used.group(1)) > 50, f.error());
    }

    @Test
    void aJobOverItsRequestIsKilledAndEndsOutOfMemoryTrackedBySession() throws Exception {
        JobSupervisor s = node.supervisor(JobLauncher.Setup.DEFAULT);
        s.launch(node.place(1, holding(300, 60), node.spec().memoryMb(50L)));
        assertKilledForMemory(node.finished(1));
        assertTrue(Files.readString(work.resolve("slurm-1.out")).isEmpty(), "the script did not go on");
    }

    @Test
    void aJobOverItsRequestIsKilledAndEndsOutOfMemoryTrackedByCgroup() throws Exception {
        JobSupervisor s = node.supervisor(JobLauncher.Setup.DEFAULT, node.cgroups());
        // Several processes, none over the request alone: their sum is.
        s.launch(node.place(2, holding(20, 60).replace("\necho held\n", " &\n") + holding(20, 60), node.spec()
                .memoryMb(50L)));
        assertKilledForMemory(node.finished(2));
    }

    @Test
    void forkedChildrenSharingTheParentsPagesAreCountedOnceNotOncePerProcess() throws Exception {
        // About 240 MiB resident in the parent (Perl's 120 MiB string and the copy it was built in), three idle
        // forked children: statm sums nearly 1 GiB, but together they hold 240 MiB (review 110, finding 7). A Python
        // multiprocessing pool is this.
        JobSupervisor s = node.supervisor(JobLauncher.Setup.DEFAULT, node.cgroups());
        String forks = "perl -e '$x = \"x\" x (120 * 1024 * 1024); for (1 .. 3) { if (!fork) { sleep 4; exit 0 } }"
                + " sleep 4; wait for 1 .. 3'\necho held\n";
        s.launch(node.place(5, forks, node.spec().memoryMb(400L)));
        RunnerEvent.RunnerFinished f = node.finished(5);
        assertNull(f.killedFor(), String.valueOf(f));
        assertEquals(0, f.exitCode(), String.valueOf(f));
        assertEquals("held\n", Files.readString(work.resolve("slurm-5.out")));
    }

    @Test
    void anExclusiveJobsMemoryPerCpuCountsAllTheCpusOfTheNodeRunningItsScript() throws Exception {
        // sbatch --exclusive --mem-per-cpu=50M on a node of 8 CPUs: 400 MiB there, not the 50 of the one CPU asked for.
        JobSupervisor s = node.supervisor(JobLauncher.Setup.DEFAULT);
        NodeCommand.PlaceJob one = node.place(6, holding(60, 2), node.spec().memoryMb(50L).memoryPerCpuMb(50L)
                .exclusive(true));
        s.launch(new NodeCommand.PlaceJob(6, 1, one.spec(), new Allocation(List.of(new Allocation.NodeSlots("n1",
                "host1", 1, 8, 0, 63_488))), "tok"));
        RunnerEvent.RunnerFinished f = node.finished(6);
        assertNull(f.killedFor(), String.valueOf(f));
        assertEquals(0, f.exitCode(), String.valueOf(f));
        assertEquals("held\n", Files.readString(work.resolve("slurm-6.out")));
    }

    @Test
    void aJobWithinItsRequestOrWithoutOneRunsToItsEnd() throws Exception {
        JobSupervisor s = node.supervisor(JobLauncher.Setup.DEFAULT);
        s.launch(node.place(3, holding(20, 3), node.spec().memoryMb(200L)));
        s.launch(node.place(4, holding(300, 3), node.spec()));
        for (long id : new long[] {3, 4}) {
            RunnerEvent.RunnerFinished f = node.finished(id);
            assertNull(f.killedFor(), "job " + id);
            assertEquals(0, f.exitCode(), "job " + id);
            assertNull(f.error(), "job " + id);
            assertEquals("held\n", Files.readString(work.resolve("slurm-" + id + ".out")));
        }
    }
}
