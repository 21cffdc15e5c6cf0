package dev.cadre.cli;

import dev.cadre.cli.slurm.ExpectedStart;
import dev.cadre.cli.slurm.ScontrolJobFormat;
import dev.cadre.cli.slurm.ScontrolJobId;
import dev.cadre.cli.slurm.UnixAccounts;
import dev.cadre.cli.wire.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * scontrol show job [ID]: every unfinished record, or the records of one job as {@link ScontrolJobId} selects them
 * (job 0 is every job, as in scontrol), each read whole (spec and attempts) and printed as it comes. Every record
 * is read a page at a time (GET /api/jobs with detail=true). An array's records besides its own are listed by id
 * first (GET /api/jobs?id=A, small summaries), then read whole, a hundred at a time (fewer when the list's pages are
 * smaller) in the order shown (detail=true). So neither a long queue nor a large array is held in memory with its
 * scripts. Pages are asked for without the jobs' environments (environment=false), which scontrol never prints and
 * which are most of a record's bytes.
 */
final class ScontrolShowJobs {
    /** Records read whole in one request: the most GET /api/jobs gives with detail=true. */
    private static final int DETAIL_PAGE = 100;
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Clock clock;
    private final int jobPage;
    private final boolean oneLiner;
    /** -d: each record adds the CPUs its job holds on each node. */
    private final boolean details;
    private Map<Long, ExpectedStart> expected;

    /** @param jobPage summaries per page of a list: smaller in tests, to see the pages followed */
    ScontrolShowJobs(PrintStream out, PrintStream err, String config, Clock clock, int jobPage, boolean oneLiner,
            boolean details) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.clock = clock;
        this.jobPage = jobPage;
        this.oneLiner = oneLiner;
        this.details = details;
    }

    /** @param given the id as typed (JobId=ID too), or null for every unfinished job */
    int show(String given) throws RestClient.ClientException {
        RestClient rest = RestClient.fromConfig(config);
        if (given == null) {
            if (!printEveryJob(rest, null)) {
                out.println("No jobs in the system");
            }
            return 0;
        }
        Optional<ScontrolJobId> parsed = ScontrolJobId.parse(given.replaceFirst("(?i)^(JobId|Job)=", ""));
        if (parsed.isEmpty()) {
            err.println("scontrol_print_job error: Invalid job id specified");
            return 1;
        }
        ScontrolJobId id = parsed.get();
        if (id.everyJob()) {
            // No record has a heterogeneous job's component: nothing to read for one.
            if (id.hetOffset() != null || !printEveryJob(rest, id)) {
                out.println(id.notFound());
                return 1;
            }
            return 0;
        }
        Optional<Json> own = id.mayExist() ? one(rest, Long.toString(id.jobId())) : Optional.empty();
        if (own.isEmpty()) {
            // slurmctld found no record of that id (nor an array's task of it): the load itself fails.
            err.println("slurm_load_jobs error: Invalid job id specified");
            return 1;
        }
        boolean array = own.get().path("arrayJobId").asLong(0) == id.jobId();
        if (id.hetOffset() != null || (id.taskId() != null && !array)) {
            return printNamed(rest, id, own.stream().toList());
        }
        if (id.taskId() != null) {
            // The head finds the one record holding an array's task without listing the array.
            Optional<Json> task = id.taskMayExist() ? one(rest, id.toString()) : Optional.empty();
            return printNamed(rest, id, task.stream().toList());
        }
        print(rest, own.get());
        if (array) {
            printSplitOff(rest, id.jobId());
        }
        return 0;
    }

    /**
     * Every unfinished record read whole, a page at a time, oldest id first: the order slurmctld's pack_all_jobs
     * walks its job_list in, to which each record (an array task's too, once split off) is appended as it is made.
     *
     * @param id job 0 with a task (those records of every array that hold it), or null for every record
     * @return whether any record was printed
     */
    private boolean printEveryJob(RestClient rest, ScontrolJobId id) throws RestClient.ClientException {
        int pageSize = Math.min(DETAIL_PAGE, jobPage);
        long after = 0;
        boolean any = false;
        while (true) {
            Json page = rest.get("/api/jobs?detail=true&environment=false&state=PENDING,RUNNING,COMPLETING,REQUEUED,"
                    + "SUSPENDED&limit=" + pageSize + (after > 0 ? "&after=" + after : ""));
            for (Json job : page) {
                after = Math.max(after, job.path("id").asLong());
                if (id == null || id.names(job)) {
                    print(rest, id == null ? job : id.shown(job));
                    any = true;
                }
            }
            if (page.size() < pageSize) {
                return any;
            }
        }
    }

    private int printNamed(RestClient rest, ScontrolJobId id, List<Json> records) throws RestClient.ClientException {
        int shown = 0;
        for (Json record : records) {
            if (id.names(record)) {
                print(rest, id.shown(record));
                shown++;
            }
        }
        if (shown == 0) {
            out.println(id.notFound());
            return 1;
        }
        return 0;
    }

    /** The array's records other than its own, newest first, read whole a page at a time. */
    private void printSplitOff(RestClient rest, long arrayId) throws RestClient.ClientException {
        List<Long> others = new ArrayList<>();
        long after = 0;
        while (true) {
            Json page = rest.get("/api/jobs?id=" + arrayId + "&limit=" + jobPage
                    + (after > 0 ? "&after=" + after : ""));
            for (Json j : page) {
                after = Math.max(after, j.path("id").asLong());
                if (j.path("id").asLong() != arrayId) {
                    others.add(j.path("id").asLong());
                }
            }
            if (page.size() < jobPage) {
                break;
            }
        }
        List<Long> order = ScontrolJobId.splitOffOrder(others);
        int batchSize = Math.min(DETAIL_PAGE, jobPage);
        for (int from = 0; from < order.size(); from += batchSize) {
            List<Long> batch = order.subList(from, Math.min(order.size(), from + batchSize));
            StringBuilder ids = new StringBuilder();
            batch.forEach(i -> ids.append(ids.length() == 0 ? "" : ",").append(i));
            List<Json> records = new ArrayList<>();
            rest.get("/api/jobs?detail=true&environment=false&limit=" + batchSize + "&id=" + ids)
                    .forEach(records::add);
            // A record gone since it was listed (a part released back into the array) is left out.
            records.sort((a, b) -> Long.compare(batch.indexOf(a.path("id").asLong()),
                    batch.indexOf(b.path("id").asLong())));
            for (Json record : records) {
                print(rest, record);
            }
        }
    }

    private void print(RestClient rest, Json job) {
        boolean pending = job.path("state").asText().equals("PENDING");
        if (pending && expected == null) {
            expected = ExpectedStarts.ask(rest, err, "scontrol");
        }
        ExpectedStart start = pending ? expected.get(job.path("id").asLong()) : null;
        out.print(ScontrolJobFormat.render(job, clock.instant(), clock.getZone(), oneLiner, UnixAccounts.system(),
                start, details));
    }

    /** GET /api/jobs/ID; empty when the head knows no such job. */
    private static Optional<Json> one(RestClient rest, String id) throws RestClient.ClientException {
        try {
            return Optional.of(rest.get("/api/jobs/" + id));
        } catch (RestClient.ClientException e) {
            if (e.status != 404) {
                throw e;
            }
            return Optional.empty();
        }
    }
}
