package dev.cadre.cli;

import dev.cadre.cli.wire.Json;
import dev.cadre.broker.ClientFile;
import dev.cadre.client.CadreClient;
import dev.cadre.client.CadreException;
import dev.cadre.client.EventFilter;
import dev.cadre.client.Watch;
import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.protocol.JobState;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * cadre watch [JOBID | ARRAYID_TASKID] [--user U] [--config FILE]: prints job state changes as they happen. With a
 * job id it prints that job's current state, then its changes, and exits 0 when the job has ended; an array's id
 * follows every record of the array until all have ended, and Slurm's 12_3 follows that task of array 12 wherever
 * it is. Without an id it runs until SIGINT or SIGTERM.
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
        String named = null;
        Long jobId = null;
        Integer taskId = null;
        if (!rest.isEmpty() && !rest.get(0).startsWith("--")) {
            named = rest.remove(0);
            SlurmJobId id = jobId(named);
            jobId = id.jobId();
            taskId = id.taskId();
        }
        LongOptions o = new LongOptions(rest, Set.of("user", "config"), Set.of());
        String configFile = o.get("config", config);
        String user = o.get("user", null);
        try {
            RestClient api = RestClient.fromConfig(configFile);
            try (CadreClient client = CadreClient.connect(ClientFile.locate(configFile, System.getenv(),
                    ClientFile.CLIENT_FILE))) {
                if (taskId != null) {
                    return followTask(client, api, jobId, taskId, user);
                }
                WatchTimeline timeline = new WatchTimeline(jobId, this::print);
                // Subscribed before the state is read: a change in between is held, not lost.
                Watch watch = client.watchEvents(new EventFilter(jobId, user), timeline::event);
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
                try (Rereads parts = part(first) ? new Rereads(err, named, () -> part(api.get(path)),
                        () -> timeline.gone(id, Instant.now())) : null) {
                    timeline.ended().get();
                }
                return 0;
            }
        } catch (RestClient.ClientException e) {
            err.println("cadre watch: " + (e.status == 404 ? "job " + named + " does not exist" : e.getMessage()));
            return 1;
        } catch (CadreException e) {
            err.println("cadre watch: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Slurm's 12_3 follows task 3 of array 12 wherever it is: inside the array's record or a part while it waits,
     * then in the record that runs it. The records that hold pending tasks do not say which, so their events make
     * the task be read again, as does a reconnect, and it is read every {@link #POLL} besides.
     */
    private int followTask(CadreClient client, RestClient api, long array, int task, String user) throws Exception {
        String named = array + "_" + task;
        String path = "/api/jobs/" + named;
        TaskTimeline timeline = new TaskTimeline(array, task, this::print);
        AtomicReference<Rereads> reads = new AtomicReference<>();
        // Subscribed before the task is read: a change in between is held, not lost.
        try (Watch watch = client.watchEvents(new EventFilter(null, array, task, user, false), e -> {
            Rereads r = reads.get();
            if (timeline.event(e) && r != null) {
                r.now();
            }
        })) {
            timeline.start(snapshot(api.get(path)));
            try (Rereads r = new Rereads(err, named, () -> {
                timeline.reread(snapshot(api.get(path)));
                return true;
            }, timeline::lost)) {
                reads.set(r);
                r.now(); // for events that came before the first read, which asked for nothing
                client.addReconnectListener(r::now);
                if (timeline.ended().get() == null) {
                    err.println("cadre watch: job " + named + " can no longer be found");
                    return 1;
                }
            }
        }
        return 0;
    }

    /**
     * An array's id follows every record of the array until all have ended: its own, each task split off it, and
     * each part of its pending tasks (protocol.md 5.5). Its waiting records are read again every {@link #POLL}, as a
     * part whose tasks join another record is deleted with an event kept in no outbox; the others' events are kept in
     * the head's outbox, and only a reconnect, which may lose some, reads every record again.
     *
     * @param first the watch of the array's own record, subscribed before it was read; replaced by the array's
     */
    private int followArray(CadreClient client, RestClient api, long id, Watch first) throws Exception {
        WatchTimeline timeline = WatchTimeline.ofArray(id, this::print);
        try (Watch all = client.watchEvents(EventFilter.array(id), timeline::event)) {
            first.close();
            timeline.start(arrayRecords(api, id, UNFINISHED));
            client.addReconnectListener(() -> {
                try {
                    readArrayAgain(api, id, timeline, true);
                } catch (RestClient.ClientException e) {
                    err.println("cadre watch: cannot read array " + id + " again: " + e.getMessage());
                }
            });
            // The array's own record outlives its tasks: a 404 for it means its records were deleted.
            try (Rereads reads = new Rereads(err, Long.toString(id), () -> {
                readArrayAgain(api, id, timeline, false);
                return true;
            }, timeline::lost)) {
                if (timeline.ended().get() == null) {
                    err.println("cadre watch: array " + id + " can no longer be found");
                    return 1;
                }
            }
        }
        return 0;
    }

    /** The array's own record, then its records in these states (a comma-separated list), as they are now. */
    private static List<WatchTimeline.Snapshot> arrayRecords(RestClient api, long id, String states)
            throws RestClient.ClientException {
        List<WatchTimeline.Snapshot> records = new ArrayList<>();
        records.add(snapshot(api.get("/api/jobs/" + id)));
        for (Json j : api.jobs("&id=" + id + "&state=" + states)) {
            if (j.path("id").asLong() != id) {
                records.add(snapshot(j));
            }
        }
        return records;
    }

    /**
     * Shows what changed unheard: a record read again, one not listed before, or one gone (404).
     *
     * @param everything every unfinished record (after a reconnect), or only those that wait: a periodic read, which
     *        need not list a large array's running tasks every time, as their events are kept in an outbox
     */
    private void readArrayAgain(RestClient api, long id, WatchTimeline timeline, boolean everything)
            throws RestClient.ClientException {
        Set<Long> listed = new HashSet<>();
        for (WatchTimeline.Snapshot s : arrayRecords(api, id, everything ? UNFINISHED : JobState.PENDING.name())) {
            listed.add(s.jobId());
            timeline.reread(s);
        }
        for (long record : everything ? timeline.unfinished() : timeline.waiting()) {
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

    /** A job's id (12), or an array task's as Slurm names it (12_3). */
    private static SlurmJobId jobId(String named) throws LongOptions.UsageException {
        Optional<SlurmJobId> id = SlurmJobId.parse(named);
        if (id.isPresent()) {
            return id.get();
        }
        int mark = named.indexOf('_');
        boolean ofAnArray = mark > 0 && SlurmJobId.parse(named.substring(0, mark)).isPresent();
        throw new LongOptions.UsageException("invalid job id '" + named + "'"
                + (ofAnArray ? ": an array task is named as 12_3" : ""));
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
                j.hasNonNull("arrayTaskId") ? j.get("arrayTaskId").asInt() : null,
                j.path("cancelledBy").asText(null));
    }
}
