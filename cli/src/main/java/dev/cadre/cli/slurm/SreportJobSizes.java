package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.PrintFields.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * job SizesByAccount's table (job_reports.c): a column per job size group, "0-49 CPUs" ... ">= 1000 CPUs" (or one per
 * size found, Grouping=individual), holding the usage of the jobs of that size, or their number (PrintJobCount), then
 * "% of cluster". Cadre's one account, root, is its one row, shown once a job ran in the period.
 */
final class SreportJobSizes {
    private final SreportRequest request;
    private final SreportUsage usage;
    private final String cluster;

    SreportJobSizes(SreportRequest request, SreportUsage usage, String cluster) {
        this.request = request;
        this.usage = usage;
        this.cluster = cluster;
    }

    /** A column: jobs of lower up to, not including, upper CPUs (upper null: no bound). */
    private record Group(String header, int lower, Integer upper) {
        boolean holds(int cpus) {
            return cpus >= lower && (upper == null || cpus < upper);
        }
    }

    void addTable(List<String> out) throws SlurmUsageException {
        List<Column> columns = new ArrayList<>(SreportFields.jobColumns(request));
        int leading = columns.size();
        List<Group> groups = groups();
        int width = request.time().withPercent() ? 20 : 13;
        for (Group g : groups) {
            columns.add(PrintFields.number(g.header(), width));
        }
        columns.add(PrintFields.number("% of cluster", 12));
        if (request.header()) {
            out.addAll(PrintFields.header(columns, request.parsable(), "|"));
        }
        if (usage.rows().isEmpty() || !request.accountsMatch()) {
            return;
        }
        long accountTotal = amount(g -> true);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < leading; i++) {
            values.add(columns.get(i).name().equals("Cluster") ? cluster : SreportReport.ACCOUNT);
        }
        for (Group g : groups) {
            long amount = amount(g::holds);
            values.add(request.printJobCount() ? Long.toString(amount) : request.time().format(amount, accountTotal));
        }
        // One account: it is the whole of what the cluster's jobs used, or of the jobs that ran.
        values.add(SreportTime.PERCENT.format(accountTotal, accountTotal));
        out.add(PrintFields.row(columns, request.parsable(), "|", values));
    }

    private long amount(java.util.function.IntPredicate size) {
        return usage.rows().stream().filter(r -> size.test(r.cpus()))
                .mapToLong(r -> request.printJobCount() ? r.jobs() : r.cpuSeconds()).sum();
    }

    private List<Group> groups() {
        String unit = " CPUs";
        List<Group> groups = new ArrayList<>();
        if (request.individual()) {
            TreeSet<Integer> sizes = new TreeSet<>();
            usage.rows().forEach(r -> sizes.add(r.cpus()));
            sizes.forEach(c -> groups.add(new Group(c + unit, c, c + 1)));
            return groups;
        }
        int lower = 0;
        for (int size : request.grouping()) {
            groups.add(new Group(lower + "-" + (size - 1) + unit, lower, size));
            lower = size;
        }
        if (lower > 0) {
            groups.add(new Group(">= " + lower + unit, lower, null));
        }
        return groups;
    }
}
