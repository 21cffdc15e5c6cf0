package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.PrintFields.Column;
import dev.cadre.cli.slurm.SreportRequest.Kind;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * sreport's cluster AccountUtilizationByUser, UserUtilizationByAccount and Utilization, user TopUsage and job
 * SizesByAccount, laid out as cluster_reports.c, user_reports.c and job_reports.c print them, from the usage the head
 * summed. Cadre has
 * one account, root, which every job is in: the account reports show root's total and each user under it.
 */
public final class SreportReport {
    /** Every account's usage is root's: Slurm's top of the tree, which each cluster has. */
    static final String ACCOUNT = "root";
    private static final String DASHES = "-".repeat(80);

    private final SreportRequest request;
    private final SreportWindow window;
    private final SreportUsage usage;
    private final String cluster;

    /** @param cluster the cluster's name: SLURM_CLUSTER_NAME, else a head's default */
    public SreportReport(SreportRequest request, SreportWindow window, SreportUsage usage, String cluster) {
        this.request = request;
        this.window = window;
        this.usage = usage;
        this.cluster = cluster;
    }

    /**
     * The report's lines.
     *
     * @param properName each user's name as the passwd file gives it, or null
     * @throws SlurmUsageException Slurm's " Unknown field 'X'" for a Format= field the report has not
     */
    public List<String> lines(ZoneId zone, Function<String, String> properName) throws SlurmUsageException {
        List<String> out = new ArrayList<>();
        if (request.header()) {
            out.add(DASHES);
            out.add(title(zone));
            if (request.kind() == Kind.JOB_SIZES) {
                if (request.tres() != null) {
                    out.add("TRES type is " + request.tres());
                }
                out.add(request.printJobCount() ? "Units are in number of jobs ran"
                        : "Time reported in " + request.time().label());
            } else {
                out.add("Usage reported in " + (request.time().percentOnly() ? "" : "CPU ") + request.time().label());
            }
            out.add(DASHES);
        }
        if (request.kind() == Kind.JOB_SIZES) {
            new SreportJobSizes(request, usage, cluster).addTable(out);
        } else if (request.kind() == Kind.UTILIZATION) {
            SreportUtilization.addTable(out, request, usage.utilization(), window.seconds(), cluster);
        } else {
            usageTable(out, properName);
        }
        return out;
    }

    private String title(ZoneId zone) {
        String dates = SlurmTime.formatDate(window.start(), zone) + " - "
                + SlurmTime.formatDate(window.end().minusSeconds(1), zone);
        String period = dates + " (" + window.seconds() + " secs)";
        return switch (request.kind()) {
            case ACCOUNT_BY_USER -> "Cluster/Account/User Utilization " + period;
            case USER_BY_ACCOUNT -> "Cluster/User/Account Utilization " + period;
            case TOP_USAGE -> (request.topCount() == 0 ? "Top ALL" : "Top " + request.topCount()) + " Users " + period;
            case JOB_SIZES -> "Job Sizes " + period;
            case UTILIZATION -> "Cluster Utilization " + dates;
        };
    }

    /** A row of the user and account reports: null login for the account's own total. */
    private record Line(String login, long seconds) {
    }

    private void usageTable(List<String> out, Function<String, String> properName) throws SlurmUsageException {
        Map<String, Long> byUser = new TreeMap<>();
        usage.rows().forEach(r -> byUser.merge(r.user(), r.cpuSeconds(), Long::sum));
        List<Line> lines = new ArrayList<>();
        byUser.forEach((user, seconds) -> lines.add(new Line(user, seconds)));
        if (request.kind() == Kind.ACCOUNT_BY_USER) {
            lines.add(0, new Line(null, usage.total()));
        } else if (!request.sortByName()) {
            // sort_user_dec: the most used first, a tie by name.
            lines.sort(Comparator.comparingLong(Line::seconds).reversed());
        }
        if (request.kind() == Kind.TOP_USAGE && request.topCount() > 0 && lines.size() > request.topCount()) {
            lines.subList((int) request.topCount(), lines.size()).clear();
        }
        if (!request.accountsMatch()) {
            lines.clear();
        }
        long clusterSeconds = usage.clusterCpus() * window.seconds();
        // sreport sizes Used by the largest figure it shows: the first row's (the account's total, or the top user).
        long widest = lines.isEmpty() ? clusterSeconds : lines.get(0).seconds();
        List<Column> columns = SreportFields.usageColumns(request, widest);
        if (request.header()) {
            out.addAll(PrintFields.header(columns, request.parsable(), "|"));
        }
        for (Line l : lines) {
            List<String> values = new ArrayList<>();
            for (Column c : columns) {
                values.add(switch (c.name()) {
                    case "Cluster" -> cluster;
                    case "Account" -> ACCOUNT;
                    case "Login" -> l.login();
                    case "Proper Name" -> l.login() == null ? null : properName.apply(l.login());
                    case "TRES Name" -> "cpu";
                    case "Used" -> request.time().format(l.seconds(), clusterSeconds);
                    default -> request.time().format(0, 0);
                });
            }
            out.add(PrintFields.row(columns, request.parsable(), "|", values));
        }
    }
}
