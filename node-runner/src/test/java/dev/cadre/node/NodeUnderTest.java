package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;

import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A node's supervisors over a state and a work directory, for tests that run real jobs through them: places bash
 * jobs, holds them until released, waits for their ends. Closing it releases every job and closes the supervisors.
 */
final class NodeUnderTest implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    final Path state;
    final Path work;
    final List<RunnerEvent> events = new CopyOnWriteArrayList<>();
    /** Called with each event as the supervisor sends it, before it is listed. */
    volatile Consumer<RunnerEvent> watcher = e -> { };
    private final List<JobSupervisor> supervisors = new ArrayList<>();
    /** The cgroup directories tests gave supervisors of this node: emptied and removed at close. */
    private final List<AttemptCgroups> cgroups = new ArrayList<>();

    NodeUnderTest(Path state, Path work) {
        this.state = state;
        this.work = work;
    }

    /**
     * The three ways a wrapper starts: forked by the compiled launcher (where the build made it; else the perl one
     * stands in), by the perl launcher, or, with no launcher to be had, as a process the JVM starts.
     */
    static List<Arguments> starters() {
        return List.of(Arguments.argumentSet("compiled", JobLauncher.Setup.DEFAULT),
                Arguments.argumentSet("perl", JobLauncher.Setup.perlOnly("perl", JobLauncher.Setup.DEFAULT
                        .answerTimeout())),
                Arguments.argumentSet("without a launcher", JobLauncher.Setup.perlOnly("/nonexistent/perl",
                        Duration.ofSeconds(5))));
    }

    /** Whether jobs of this setup start under a launcher, whose wrappers are their jobs' subreapers. */
    static boolean launches(JobLauncher.Setup setup) {
        return setup.compiled() || !setup.perl().startsWith("/nonexistent");
    }

    JobSupervisor supervisor(JobLauncher.Setup setup) throws IOException {
        return supervisor(setup, null);
    }

    /** @param tracking the node's cgroups ({@link #cgroups()}), or null to track jobs by session */
    JobSupervisor supervisor(JobLauncher.Setup setup, AttemptCgroups tracking) throws IOException {
        return supervisor(setup, tracking, BoundCpus.NONE);
    }

    /** The same, binding its jobs to CPUs as {@code cpus} says. */
    JobSupervisor supervisor(JobLauncher.Setup setup, AttemptCgroups tracking, BoundCpus cpus) throws IOException {
        JobSupervisor s = new JobSupervisor(state, state.resolve("jobs"), "n1", Duration.ofSeconds(2), "test",
                e -> {
                    watcher.accept(e);
                    events.add(e);
                }, Clock.systemUTC(), null, null, setup, tracking, MemoryWatch.DEFAULT_INTERVAL, cpus);
        supervisors.add(s);
        return s;
    }

    /** This node's cgroups in the machine's cgroup2 hierarchy, as a node started with --process-tracking cgroup. */
    AttemptCgroups cgroups() {
        AttemptCgroups c = AttemptCgroups.choose(ProcessTracking.Mode.CGROUP, state).orElseThrow();
        return tracked(c);
    }

    /** Cgroups of this node at a directory of the test's choosing, removed at close like those of the hierarchy. */
    AttemptCgroups tracked(AttemptCgroups c) {
        cgroups.add(c);
        return c;
    }

    /** A job of one node running the bash body in the work directory, with what {@code more} adds. */
    NodeCommand.PlaceJob place(long id, String body, JobSpec.Builder more) {
        return placeScript(id, "#!/bin/bash\n" + body + "\n", more);
    }

    /** A job of one node running this script, with what {@code more} adds. */
    NodeCommand.PlaceJob placeScript(long id, String script, JobSpec.Builder more) {
        JobSpec spec = more.name("t" + id).user("alice").script(script).submitHost("submit-host").build();
        return new NodeCommand.PlaceJob(id, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))), "tok");
    }

    NodeCommand.PlaceJob place(long id, String body) {
        return place(id, body, spec());
    }

    JobSpec.Builder spec() {
        return JobSpec.builder().workDir(work.toString());
    }

    /** Bash that waits until {@link #release} (or the end of the test). */
    String untilReleased() {
        return "while [ ! -f " + work.resolve("go") + " ]; do sleep 0.05; done\n";
    }

    void release() throws IOException {
        Files.writeString(work.resolve("go"), "");
    }

    RunnerEvent.RunnerFinished finished(long id) throws InterruptedException {
        return JobSupervisorIntegrationTest.finished(events, id, WAIT);
    }

    RunnerEvent.RunnerFailed failed(long id) throws InterruptedException {
        await("job " + id + " to fail", WAIT, () -> events.stream()
                .anyMatch(e -> e instanceof RunnerEvent.RunnerFailed f && f.jobId() == id));
        return events.stream().filter(e -> e instanceof RunnerEvent.RunnerFailed f && f.jobId() == id)
                .map(RunnerEvent.RunnerFailed.class::cast).findFirst().orElseThrow();
    }

    /** The wrapper's pid, from the claim it takes first thing. */
    long wrapperPid(long id) throws Exception {
        Path claim = state.resolve("jobs/" + id + "-1/claim");
        await("job " + id + "'s wrapper to take its claim", WAIT, () -> Files.exists(claim));
        return Long.parseLong(Files.readString(claim).strip());
    }

    void awaitFile(String name) throws InterruptedException {
        await(name + " in the work directory", WAIT, () -> Files.exists(work.resolve(name)));
    }

    /**
     * The pid a shell wrote to this file in the work directory (echo $$ > name). The shell creates the file before
     * it writes the line, so a file that exists may still be empty: this waits for the whole line.
     */
    long awaitPid(String name) throws Exception {
        return awaitPid(work.resolve(name));
    }

    /** The pid a shell wrote to the file (echo $$ > file), once the whole line is there. */
    static long awaitPid(Path file) throws Exception {
        await("a pid in " + file, WAIT, () -> {
            try {
                return Files.exists(file) && Files.readString(file).endsWith("\n");
            } catch (IOException e) {
                return false;
            }
        });
        return Long.parseLong(Files.readString(file).strip());
    }

    @Override
    public void close() throws IOException {
        release(); // a job a failed test left waiting: nothing outlives the test
        supervisors.forEach(JobSupervisor::close);
        for (AttemptCgroups c : cgroups) {
            removeAll(c);
        }
    }

    /** Kills what a failed test left in the node's cgroups and removes them: nothing of a test stays on the machine. */
    static void removeAll(AttemptCgroups c) throws IOException {
        for (AttemptCgroups.Found f : c.list()) {
            JobProcesses left = new JobProcesses.Cgroup(f.dir());
            // A released job's script ends by itself; what is still there after a moment is killed.
            if (!left.awaitGone(Duration.ofSeconds(2))) {
                left.signal(ProcessGroups.Stop.KILL);
                left.awaitGone(WAIT);
            }
            AttemptCgroups.removeIfEmpty(f.dir());
        }
        c.removeNodeGroupIfEmpty();
        if (Files.exists(c.nodeGroup())) {
            throw new IllegalStateException("the test left " + c.nodeGroup() + " behind");
        }
    }
}
