package dev.cadre.protocol;

import dev.cadre.protocol.JobSpecValidator.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The spec's node request (-N, -n, --ntasks-per-node, -w, -x) read together: combinations Slurm refuses are
 * refused here, before anything is stored, with the option at fault named. Whether the cluster can hold the
 * job is judged later, against the nodes it has.
 */
final class NodeRequestValidator {
    static final int MAX_HOSTLIST_CHARS = 65_536;

    private NodeRequestValidator() {
    }

    /**
     * Each host list on its own: present entries, bounded, in Slurm's hostlist syntax. The bounds count an
     * entry's hosts each time it is given: the scheduler expands every entry, so a list repeating one large entry
     * costs as much as one naming that many hosts.
     */
    static void checkHostLists(List<Problem> problems, JobSpec spec) {
        hostList(problems, "spec.nodelist", spec.nodelist());
        hostList(problems, "spec.exclude", spec.exclude());
    }

    private static void hostList(List<Problem> problems, String field, List<String> expressions) {
        if (expressions == null) {
            return;
        }
        int max = JobSpecValidator.MAX_NODES;
        if (expressions.size() > max) {
            problems.add(new Problem(field, "has " + expressions.size() + " entries; at most " + max
                    + " are allowed"));
            return;
        }
        long names = 0;
        for (int i = 0; i < expressions.size(); i++) {
            String e = expressions.get(i);
            String entry = field + "[" + i + "]";
            if (e == null || e.isBlank()) {
                problems.add(new Problem(entry, "must be a host name or hostlist expression like node[1-3,5]"));
                return;
            }
            if (e.length() > MAX_HOSTLIST_CHARS) {
                problems.add(new Problem(entry, "is longer than " + MAX_HOSTLIST_CHARS + " characters"));
                return;
            }
            try {
                names += HostList.expand(e, max).size();
            } catch (IllegalArgumentException bad) {
                problems.add(new Problem(entry, bad.getMessage()));
                return;
            }
            // Checked entry by entry, so that no more than two entries' worth of names is ever expanded here.
            if (names > max) {
                problems.add(new Problem(field, "names more than " + max + " hosts in all, counting a host again"
                        + " each time an entry names it"));
                return;
            }
        }
    }

    /** Checks between fields; each field is already valid on its own. */
    static void checkCombination(List<Problem> problems, JobSpec spec) {
        Integer nodes = spec.nodes();
        Integer tasks = spec.tasks();
        Integer perNode = spec.tasksPerNode();
        List<String> required = spec.requiredHosts();
        if (tasks != null && nodes != null && tasks < nodes) {
            problems.add(new Problem("spec.tasks", "is " + tasks + ", fewer than the " + nodes
                    + " nodes asked for; every node needs at least one task"));
        }
        if (tasks != null && perNode != null && nodes != null && tasks > (long) perNode * nodes) {
            problems.add(new Problem("spec.tasks", "is " + tasks + ", more than tasksPerNode x nodes ("
                    + (long) perNode * nodes + ")"));
        }
        long defaultTasks = perNode == null ? 0 : (long) perNode * spec.nodeCount();
        if (tasks == null && defaultTasks > JobSpecValidator.MAX_TASKS) {
            problems.add(new Problem("spec.tasksPerNode", "is " + perNode + " on " + spec.nodeCount() + " nodes ("
                    + (nodes != null ? "spec.nodes" : "the hosts of spec.nodelist") + "), " + defaultTasks
                    + " tasks in all; without spec.tasks that is the job's task count, which must be at most "
                    + JobSpecValidator.MAX_TASKS));
        }
        if (nodes != null && required.size() > nodes) {
            problems.add(new Problem("spec.nodelist", "names " + required.size() + " hosts, more than the " + nodes
                    + " nodes asked for (spec.nodes); every listed host is part of the allocation"));
        }
        if (nodes == null && tasks != null && required.size() > tasks) {
            problems.add(new Problem("spec.tasks", "is " + tasks + ", fewer than the " + required.size()
                    + " hosts spec.nodelist requires; every node needs at least one task"));
        }
        List<String> both = new ArrayList<>(required);
        both.retainAll(new LinkedHashSet<>(spec.excludedHosts()));
        if (!both.isEmpty()) {
            problems.add(new Problem("spec.exclude", "names " + HostList.compress(both)
                    + ", which spec.nodelist requires; a host cannot be both required and excluded"));
        }
    }
}
