package dev.cadre.cli;

import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.ExpectedStart;
import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.SqueueFormat;
import dev.cadre.cli.slurm.SqueueJob;
import dev.cadre.cli.slurm.SqueueLines;
import dev.cadre.cli.slurm.SqueueOptions;
import dev.cadre.cli.slurm.SqueueOrder;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobState;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** squeue over the REST API: jobs as "12", array tasks as "12_3", an array's pending tasks as "12_[4-99%4]". */
final class SqueueCommand {
    /** Output is written in pieces of about this many characters: squeue -r may print a million lines. */
    private static final int PIECE = 1 << 16;
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Clock clock;
    private final Map<String, String> env;
    private final int jobPage;

    SqueueCommand(PrintStream out, PrintStream err, String config, Clock clock, Map<String, String> env) {
        this(out, err, config, clock, env, RestClient.JOB_PAGE);
    }

    /** @param jobPage jobs per page read from the API: smaller in tests, to see the pages followed */
    SqueueCommand(PrintStream out, PrintStream err, String config, Clock clock, Map<String, String> env,
            int jobPage) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.clock = clock;
        this.env = env;
        this.jobPage = jobPage;
    }

    int run(List<String> args) {
        CommandOptions<SqueueOptions> read = CommandOptions.read(() -> SqueueOptions.parse(args, env,
                System.getProperty("user.name")), out, err);
        if (read.exit() != null) {
            return read.exit();
        }
        SqueueOptions o = read.options();
        o.notes().forEach(err::println);
        while (true) {
            int rc = report(o);
            if (o.iterate() == 0 || rc != 0) {
                return rc;
            }
            out.println();
            out.flush();
            try {
                Thread.sleep(o.iterate() * 1000L);
            } catch (InterruptedException e) {
                return 0;
            }
        }
    }

    private int report(SqueueOptions o) {
        Instant now = clock.instant();
        List<SqueueJob> jobs;
        RestClient rest;
        try {
            rest = RestClient.fromConfig(config);
            jobs = fetch(rest, o, now);
        } catch (RestClient.ClientException e) {
            err.println("squeue: error: " + e.getMessage());
            return 1;
        }
        if (jobs == null) {
            err.println("slurm_load_jobs error: Invalid job id specified");
            return 1;
        }
        List<SqueueJob> shown = new ArrayList<>();
        for (SqueueJob j : jobs) {
            if (o.shows(j, now)) {
                shown.add(j);
            }
        }
        if (o.layout().showsExpectedStarts() || o.sort().indexOf('S') >= 0) {
            try {
                shown = expected(rest, shown);
            } catch (RestClient.ClientException e) {
                // As squeue fails when slurmctld cannot answer: every start shown unknown would mislead.
                err.println("squeue: error: no expected start times for now: " + e.getMessage());
                return 1;
            }
        }
        SqueueLines lines;
        try {
            lines = new SqueueLines(shown, o.oneLinePerTask(), o.jobs(), SqueueOrder.order(o.sort(), now));
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        if (o.dated()) {
            // ctime(3)'s form, as squeue -l and -i print it; made only then, as formatters are costly to load.
            out.println(DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH)
                    .format(now.atZone(clock.getZone())));
        }
        StringBuilder text = new StringBuilder();
        if (o.header()) {
            text.append(SqueueFormat.header(o.layout())).append('\n');
        }
        while (lines.hasNext()) {
            text.append(SqueueFormat.line(o.layout(), lines.next(), clock)).append('\n');
            if (text.length() >= PIECE) {
                out.print(text);
                text.setLength(0);
            }
        }
        out.print(text);
        return 0;
    }

    /**
     * The jobs the options may show. One job named alone must exist and be one squeue still knows (not ended
     * longer ago than it remembers jobs), or squeue fails: null then.
     */
    private List<SqueueJob> fetch(RestClient rest, SqueueOptions o, Instant now) throws RestClient.ClientException {
        if (o.jobs() != null) {
            String ids = SlurmJobId.query(o.jobs());
            List<SqueueJob> found = new ArrayList<>();
            // An array named by its id may have more parts than a page holds: every page is read.
            for (Json j : rest.jobs("&id=" + ids, jobPage)) {
                found.add(SqueueJob.of(j, now));
            }
            if (o.jobs().size() == 1 && found.stream().noneMatch(j -> SqueueOptions.remembered(j, now))) {
                return null;
            }
            return found;
        }
        StringBuilder query = new StringBuilder("&state=");
        String separator = "";
        for (JobState s : o.states()) {
            query.append(separator).append(s.name());
            separator = ",";
        }
        if (o.users() != null && o.users().size() == 1) {
            query.append("&user=")
                    .append(URLEncoder.encode(o.users().iterator().next(), StandardCharsets.UTF_8));
        }
        List<SqueueJob> jobs = new ArrayList<>();
        if (o.states().isEmpty()) {
            return jobs;
        }
        for (Json j : rest.jobs(query.toString(), jobPage)) {
            jobs.add(SqueueJob.of(j, now));
        }
        return jobs;
    }

    /**
     * Pending jobs with the start the head expects and the hosts it plans them on (squeue --start, %S, %Y), asked
     * only when some job shown is pending. Without an answer they show none (N/A), as a head too old to plan says
     * nothing (404); any other failure is told, and squeue goes on, but one to ask again later fails it.
     *
     * @throws RestClient.ClientException when the head cannot answer for now ({@link ExpectedStarts#NOT_FOR_NOW})
     */
    private List<SqueueJob> expected(RestClient rest, List<SqueueJob> shown) throws RestClient.ClientException {
        boolean anyPending = false;
        for (SqueueJob j : shown) {
            anyPending |= j.state() == JobState.PENDING;
        }
        if (!anyPending) {
            return shown;
        }
        Map<Long, ExpectedStart> byJob = ExpectedStarts.required(rest, err, "squeue");
        List<SqueueJob> out = new ArrayList<>(shown.size());
        for (SqueueJob j : shown) {
            ExpectedStart f = j.state() == JobState.PENDING ? byJob.get(j.id()) : null;
            out.add(f == null ? j : j.expected(f.start(), f.hosts()));
        }
        return out;
    }
}
