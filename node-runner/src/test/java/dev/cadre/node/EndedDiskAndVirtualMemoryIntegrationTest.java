package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ResourceUsage;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An ended attempt's storage bytes and virtual memory peak on its runner-finished (sacct's MaxDiskWrite and
 * MaxVMSize): a real job writes {@link #SIZE} and reads it back bypassing the page cache (O_DIRECT), then holds
 * {@link #HELD} of memory for longer than two memory check intervals, however the wrapper starts, tracked by session
 * or by cgroup. In the module's target directory, on the build's disk: a tmpfs (where /tmp often is) counts no storage
 * bytes at all and may refuse O_DIRECT, so there only the presence of the figures is checked.
 */
@ParameterizedClass(name = "{argumentSetName}")
@MethodSource("dev.cadre.node.NodeUnderTest#starters")
class EndedDiskAndVirtualMemoryIntegrationTest extends NodeTestCase {
    private static final long SIZE = 4L << 20;
    private static final long HELD = 64L << 20;

    @Parameter
    JobLauncher.Setup starter;

    /** The job's script, its files in a new directory under target/; whether that directory is on a real disk. */
    private record Job(String script, boolean disk, Path files) {
    }

    private Job job() throws Exception {
        Path files = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "ended-io-");
        boolean disk = !List.of("tmpfs", "ramfs").contains(Files.getFileStore(files).type());
        String script = "dd if=/dev/zero of=" + files.resolve("written") + " bs=64k count=" + SIZE / 65536
                + " status=none" + (disk ? " oflag=direct" : " conv=fsync") + "\n"
                + "dd if=" + files.resolve("written") + " of=/dev/null bs=64k status=none"
                + (disk ? " iflag=direct" : "") + "\n"
                // Held across at least two checks of the default interval (1 s), so that one samples it.
                + "perl -e 'my $x = \"a\" x " + HELD + "; select(undef, undef, undef, 2.5)'\nexit 0";
        return new Job(script, disk, files);
    }

    private static void assertCounted(ResourceUsage usage, Job job) throws Exception {
        try {
            assertNotNull(usage, "no usage reported");
            assertNotNull(usage.diskReadBytes(), String.valueOf(usage));
            assertNotNull(usage.diskWriteBytes(), String.valueOf(usage));
            if (job.disk()) {
                // At least what dd moved, and not a thousand times that (a figure in the wrong unit).
                assertTrue(usage.diskWriteBytes() >= SIZE && usage.diskWriteBytes() < SIZE * 1000,
                        String.valueOf(usage));
                assertTrue(usage.diskReadBytes() >= SIZE && usage.diskReadBytes() < SIZE * 1000,
                        String.valueOf(usage));
            }
            Long vm = usage.maxVmSizeBytes();
            assertNotNull(vm, "no virtual memory peak in " + usage);
            assertTrue(vm >= HELD && vm < HELD * 1000, String.valueOf(usage));
        } finally {
            Files.deleteIfExists(job.files().resolve("written"));
            Files.deleteIfExists(job.files());
        }
    }

    @Test
    void anEndedJobReportsItsStorageBytesAndVirtualMemoryPeak() throws Exception {
        Job job = job();
        node.supervisor(starter).launch(node.place(1, job.script()));
        RunnerEvent.RunnerFinished f = node.finished(1);
        assertEquals(0, f.exitCode(), String.valueOf(f));
        assertCounted(f.usage(), job);
    }

    @Test
    void withACgroupTheWrappersBytesStandInWhereTheCgroupHasNoIoStat() throws Exception {
        Job job = job();
        node.supervisor(starter, node.cgroups()).launch(node.place(2, job.script()));
        RunnerEvent.RunnerFinished f = node.finished(2);
        assertEquals(0, f.exitCode(), String.valueOf(f));
        assertCounted(f.usage(), job);
    }
}
