package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The files a job's streams go to and come from, with real processes, however its wrapper starts. */
@ParameterizedClass(name = "{argumentSetName}")
@MethodSource("dev.cadre.node.NodeUnderTest#starters")
class JobStreamsIntegrationTest extends NodeTestCase {
    /** Far less than a hung launcher is given (10 s), so a launch that blocks fails here, not after it. */
    private static final Duration LAUNCH_WAIT = Duration.ofSeconds(8);
    @Parameter
    JobLauncher.Setup starter;
    private final List<Path> fifos = new ArrayList<>();

    @AfterEach
    void openFifos() throws IOException {
        // Whatever still waits to open a FIFO (the launcher, the JVM) gets its other end, and goes on.
        for (Path fifo : fifos) {
            try (FileChannel ignored = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // opening it read-write is all it takes
            }
        }
    }

    private Path fifo(String name) throws Exception {
        Path fifo = work.resolve(name);
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        fifos.add(fifo);
        return fifo;
    }

    /** Launches at once, or fails: a launch blocked in opening a stream holds every command of the node. */
    private void launchPromptly(JobSupervisor s, NodeCommand.PlaceJob place) {
        assertTimeoutPreemptively(LAUNCH_WAIT, () -> s.launch(place), "the launch of job " + place.jobId()
                + " is blocked");
    }

    @Test
    void aFifoForStdoutOrStdinFailsTheLaunchAtOnceNamingIt() throws Exception {
        Path out = fifo("out.fifo");
        Path in = fifo("in.fifo");
        // Another process reading the FIFO does not make it a job's stream either.
        Process reader = new ProcessBuilder("cat", out.toString()).start();
        try {
            JobSupervisor s = node.supervisor(starter);
            launchPromptly(s, node.place(1, "echo lost", node.spec().stdout(out.toString())));
            launchPromptly(s, node.place(2, "cat", node.spec().stdin(in.toString())));
            Path unread = fifo("unread.fifo");
            launchPromptly(s, node.place(3, "true", node.spec().stderr(unread.toString())));
            for (Map.Entry<Long, Path> failure : Map.of(1L, out, 2L, in, 3L, unread).entrySet()) {
                String error = node.failed(failure.getKey()).error();
                assertTrue(error.contains("cannot open " + failure.getValue() + ": it is a FIFO; a job's stream must"
                        + " be a regular file or a character device such as /dev/null"), error);
            }
            assertTrue(node.events.stream().noneMatch(e -> e instanceof RunnerEvent.RunnerRunning),
                    "nothing started: " + node.events);
            // A character device is a stream all the same.
            launchPromptly(s, node.place(4, "echo gone; cat; exit 4", node.spec().stdout("/dev/null")
                    .stdin("/dev/null")));
            assertEquals(4, node.finished(4).exitCode());
        } finally {
            reader.destroyForcibly();
        }
    }

    @Test
    void aDirectoryForStdinFailsTheLaunchNamingIt() throws Exception {
        Path dir = Files.createDirectory(work.resolve("a-directory"));
        launchPromptly(node.supervisor(starter), node.place(5, "cat", node.spec().stdin(dir.toString())));
        String error = node.failed(5).error();
        assertTrue(error.contains("cannot open " + dir + ": it is a directory"), error);
    }

    @Test
    void stdoutAndStderrNamingOneFileBothReachItWholeAndInOrder() throws Exception {
        // Opened twice, each with an offset of its own and both truncating, the streams wrote over each other.
        node.supervisor(starter).launch(node.place(6, "for i in $(seq 300); do echo out$i; echo err$i >&2; done",
                node.spec().stdout("both-%j.txt").stderr(work.resolve("sub/../both-6.txt").toString())));
        assertEquals(0, node.finished(6).exitCode());
        String expected = IntStream.rangeClosed(1, 300).mapToObj(i -> "out" + i + "\nerr" + i + "\n")
                .collect(Collectors.joining());
        assertEquals(expected, Files.readString(work.resolve("both-6.txt")));
    }
}
