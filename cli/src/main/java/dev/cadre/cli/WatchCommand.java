package dev.cadre.cli;

import dev.cadre.cli.wire.Json;
import dev.cadre.broker.ClientFile;
import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreException;
import dev.cadre.client.EventFilter;
import dev.cadre.client.Watch;
import dev.cadre.protocol.JobState;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * cadre watch [JOBID] [--user U] [--config FILE]: prints job state changes as they happen. With a job id it
 * prints that job's current state, then its changes, and exits 0 when the job has ended; an array's id follows
 * every record of the array until all have ended. Without an id it runs until SIGINT or SIGTERM.
 */
final class WatchCommand {
    static final Duration POLL = Duration.ofSeconds(2);
    private static final String UNFINISHED = Arrays.stream(JobState.values()).filter(st -> !st.isTerminal())
            .map(JobState::name).collect(Collectors.joining(","));
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
                Watch watch = client.watchEvents(new EventFilter(jobId, o.get("user", null)), timeline::event);
                if (jobId == null) {
                    timeline.start((WatchTimeline.Snapshot) null);
                    awaitStopSignal();
                    return 0;
                }
                long id = jobId;
                String path = "/api/jobs/" + id;
                Json first = api.get(path);
                if (first.path("arrayJobId").asLong() == id) {
                    return followArray(client, api, id, watch);
                }
                timeline.start(snapshot(first));
                client.addReconnectListener(() -> readAgain(api, id, timeline));
                // A part's tasks may join another record, deleting it with an event kept in no outbox (protocol.md
                // 5.5): it is read again until it is gone, or runs a task of its own whose events end the watch.
                ScheduledExecutorService poll = part(first) ? every(id, () -> part(api.get(path)), timeline) : null;
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

    /**
     * An array's id follows every record of the array until all have ended: its own, each task split off it, and
     * each part of its pending tasks (protocol.md 5.5). Its records are read again every {@link #POLL}, as a part
     * whose tasks join another record is deleted with an event kept in no outbox.
     *
     * @param first the watch of the array's own record, subscribed before it was read; replaced by the array's
     */
    private int followArray(CadreClient client, RestClient api, long id, Watch first) throws Exception {
        WatchTimeline timeline = WatchTimeline.ofArray(id, this::print);
        try (Watch all = client.watchEvents(EventFilter.array(id), timeline::event)) {
            first.close();
            timeline.start(arrayRecords(api, id));
            client.addReconnectListener(() -> {
                try {
                    readArrayAgain(api, id, timeline);
                } catch (RestClient.ClientException e) {
                    err.println("cadre watch: cannot read array " + id + " again: " + e.getMessage());
                }
            });
            ScheduledExecutorService poll = every(id, () -> {
                readArrayAgain(api, id, timeline);
                return true;
            }, timeline);
            try {
                timeline.ended().get();
            } finally {
                poll.shutdownNow();
            }
        }
        return 0;
    }

    /** The array's own record, then its records that have not ended, as they are now. */
    private static List<WatchTimeline.Snapshot> arrayRecords(RestClient api, long id)
            throws RestClient.ClientException {
        List<WatchTimeline.Snapshot> records = new ArrayList<>();
        records.add(snapshot(api.get("/api/jobs/" + id)));
        for (Json j : api.jobs("&id=" + id + "&state=" + UNFINISHED)) {
            if (j.path("id").asLong() != id) {
                records.add(snapshot(j));
            }
        }
        return records;
    }

    /** Shows what changed unheard: a record read again, one not listed before, or one gone (404). */
    private void readArrayAgain(RestClient api, long id, WatchTimeline timeline) throws RestClient.ClientException {
        Set<Long> listed = new HashSet<>();
        for (WatchTimeline.Snapshot s : arrayRecords(api, id)) {
            listed.add(s.jobId());
            timeline.reread(s);
        }
        for (long record : timeline.unfinished()) {
            if (!listed.contains(record)) {
                readAgain(api, record, timeline);
            }
        }
    }

    /** Shows the record as it is now, or that it is gone (a part whose tasks joined another record). */
    private void readAgain(RestClient api, long id, WatchTimeline timeline) {
        try {
            timeline.reread(snapshot(api.get("/api/jobs/" + id)));
        } catch (RestClient.ClientException e) {
            if (e.status == 404) {
                timeline.gone(id, Instant.now());
            } else {
                err.println("cadre watch: cannot read job " + id + " again: " + e.getMessage());
            }
        }
    }

    /** A record of some of an array's pending tasks that a task list split off (squeue's 12_[1-3] beside 12). */
    private static boolean part(Json j) {
        return j.hasNonNull("arrayJobId") && j.path("arrayJobId").asLong() != j.path("id").asLong()
                && !j.hasNonNull("arrayTaskId");
    }

    /** A periodic read: false once there is nothing left to follow. */
    private interface Read {
        boolean again() throws RestClient.ClientException;
    }

    /**
     * Runs the read every {@link #POLL} until it answers false, or a 404 for the job, which is then gone. A
     * failing read is reported once until one succeeds again (a head restarting would otherwise print a line every
     * poll); nothing thrown out of it may end the polling without a word, as the watch would then wait for ever.
     */
    private ScheduledExecutorService every(long id, Read read, WatchTimeline timeline) {
        ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cadre-watch-poll");
            t.setDaemon(true);
            return t;
        });
        boolean[] failing = {false};
        poll.scheduleWithFixedDelay(() -> {
            String problem;
            try {
                if (!read.again()) {
                    poll.shutdown();
                }
                failing[0] = false;
                return;
            } catch (RestClient.ClientException e) {
                if (e.status == 404) {
                    timeline.gone(id, Instant.now());
                    poll.shutdown();
                    return;
                }
                problem = e.getMessage();
            } catch (RuntimeException e) {
                problem = e.toString();
            }
            if (!failing[0]) {
                failing[0] = true;
                err.println("cadre watch: cannot read job " + id + " again: " + problem);
            }
        }, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
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
