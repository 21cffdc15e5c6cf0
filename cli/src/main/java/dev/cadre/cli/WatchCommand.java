package dev.cadre.cli;

import dev.cadre.cli.wire.Json;
import dev.cadre.broker.ClientFile;
import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreException;
import dev.cadre.client.EventFilter;
import dev.cadre.protocol.JobState;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * cadre watch [JOBID] [--user U] [--config FILE]: prints job state changes as they happen. With a job id it
 * prints that job's current state, then its changes, and exits 0 when the job has ended; without, it runs until
 * SIGINT or SIGTERM.
 */
final class WatchCommand {
    static final Duration PART_POLL = Duration.ofSeconds(2);
    private final PrintStream out;
    private final PrintStream err;

    WatchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** @param config the client file named before the command, or null */
    int run(List<String> args, String config) throws Exception {
        List<String> rest = new ArrayList<>(args);
        Long jobId = null;
        if (!rest.isEmpty() && !rest.get(0).startsWith("--")) {
            jobId = jobId(rest.remove(0));
        }
        LongOptions o = new LongOptions(rest, Set.of("user", "config"), Set.of());
        String configFile = o.get("config", config);
        try {
            RestClient api = RestClient.fromConfig(configFile);
            try (CadreClient client = CadreClient.connect(ClientFile.locate(configFile, System.getenv(),
                    ClientFile.CLIENT_FILE))) {
                WatchTimeline timeline = new WatchTimeline(jobId, this::print);
                // Subscribed before the state is read: a change in between is held, not lost.
                client.watch(new EventFilter(jobId, o.get("user", null)), timeline::event);
                if (jobId == null) {
                    timeline.start(null);
                    awaitStopSignal();
                    return 0;
                }
                long id = jobId;
                String path = "/api/jobs/" + id;
                Json first = api.get(path);
                timeline.start(snapshot(first));
                client.addReconnectListener(() -> {
                    try {
                        timeline.reread(snapshot(api.get(path)));
                    } catch (RestClient.ClientException e) {
                        err.println("cadre watch: cannot read job " + id + " again: " + e.getMessage());
                    }
                });
                ScheduledExecutorService poll = part(first) ? followPart(api, id, timeline) : null;
                try {
                    timeline.ended().get();
                } finally {
                    if (poll != null) {
                        poll.shutdownNow();
                    }
                }
                return 0;
            }
        } catch (RestClient.ClientException e) {
            err.println("cadre watch: " + (e.status == 404 ? "job " + jobId + " does not exist" : e.getMessage()));
            return 1;
        } catch (CadreException e) {
            err.println("cadre watch: " + e.getMessage());
            return 1;
        }
    }

    /** A record of some of an array's pending tasks that a task list split off (squeue's 12_[1-3] beside 12). */
    private static boolean part(Json j) {
        return j.hasNonNull("arrayJobId") && j.path("arrayJobId").asLong() != j.path("id").asLong()
                && !j.hasNonNull("arrayTaskId");
    }

    /**
     * Reads a part again every {@link #PART_POLL}: a later list that makes it alike another record of the array
     * joins its tasks into that one and deletes it (protocol.md 5.5), with no event of its own to end the watch. It
     * stops once the part is gone, or runs a task of its own (its last started), whose events then end the watch.
     */
    private ScheduledExecutorService followPart(RestClient api, long id, WatchTimeline timeline) {
        String path = "/api/jobs/" + id;
        ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cadre-watch-part");
            t.setDaemon(true);
            return t;
        });
        boolean[] failing = {false};
        // Anything thrown out of the task would end the polling without a word, and the watch would wait for ever.
        poll.scheduleWithFixedDelay(() -> {
            String problem;
            try {
                if (!part(api.get(path))) {
                    poll.shutdown();
                }
                failing[0] = false;
                return;
            } catch (RestClient.ClientException e) {
                if (e.status == 404) {
                    timeline.joined(Instant.now());
                    poll.shutdown();
                    return;
                }
                problem = e.getMessage();
            } catch (RuntimeException e) {
                problem = e.toString();
            }
            // Once until a read succeeds again: a head restarting would otherwise print a line every poll.
            if (!failing[0]) {
                failing[0] = true;
                err.println("cadre watch: cannot read job " + id + " again: " + problem);
            }
        }, PART_POLL.toMillis(), PART_POLL.toMillis(), TimeUnit.MILLISECONDS);
        return poll;
    }

    private static long jobId(String arg) throws LongOptions.UsageException {
        try {
            long id = Long.parseLong(arg);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // Falls through to the usage error below.
        }
        throw new LongOptions.UsageException("invalid job id '" + arg + "'");
    }

    private static void awaitStopSignal() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "cadre-watch-stop"));
        stop.await();
    }

    private void print(String line) {
        out.println(line);
        out.flush();
    }

    /** The job as the REST API shows it, timed by its latest known moment. */
    static WatchTimeline.Snapshot snapshot(Json j) {
        JobState state = JobState.valueOf(j.path("state").asText());
        String when = state.isTerminal() ? "endTime" : state.isActive() ? "startTime" : "submitTime";
        return new WatchTimeline.Snapshot(j.path("id").asLong(), j.path("name").asText(null), state,
                j.path("reason").asText(null), j.path("attempt").asInt(),
                j.hasNonNull(when) ? Instant.parse(j.get(when).asText()) : null,
                j.hasNonNull("exitCode") ? j.get("exitCode").asInt() : null,
                j.hasNonNull("signal") ? j.get("signal").asInt() : null,
                j.hasNonNull("arrayJobId") ? j.get("arrayJobId").asLong() : null,
                j.hasNonNull("arrayTaskId") ? j.get("arrayTaskId").asInt() : null);
    }
}
