package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nodes sbcast copies to: those of the job it runs in, as its environment names them. Cadre reaches a job's
 * nodes through that job's exec relay (protocol.md §13), whose credential, the job's exec token, vouches for that
 * job alone; so {@code -j} may name the current job (its id, its array task's name, a step of it: Cadre does not
 * track steps, and every step may use every node of the job) and nothing else.
 *
 * @param jobId the job the files go to
 * @param hosts its nodes' host names (a node listed by its id where its host name could not be), in the job's order
 */
public record SbcastAllocation(String jobId, List<String> hosts) {
    public static final String EXEC_JOB_ID = "CADRE_JOB_ID";
    public static final String EXEC_NODES = "CADRE_EXEC_NODES";
    public static final String EXEC_SOCKET = "CADRE_EXEC_SOCKET";

    /**
     * @param jobOption sbcast -j's value, or null
     * @throws SlurmUsageException with sbcast's error line when no job is given or found, or the job given cannot be
     *     reached from here (saying why)
     */
    public static SbcastAllocation of(String jobOption, Map<String, String> env) throws SlurmUsageException {
        String current = env.get(EXEC_JOB_ID);
        if (current == null || current.isEmpty()) {
            current = env.get("SLURM_JOB_ID");
        }
        if (jobOption == null && (current == null || current.isEmpty())) {
            throw new SlurmUsageException("sbcast: error: Need a job id to run this command.  Run from within a"
                    + " Slurm job or use the --jobid option.");
        }
        String job = current;
        if (jobOption != null) {
            // JOBID[_TASK][+HETOFFSET][.STEP], as slurm_parse_step_str reads it; compiled only when -j is given.
            Matcher m = Pattern.compile("(\\d+)(?:_(\\d+))?(?:\\+(\\d+))?(?:\\.([A-Za-z0-9_]+))?").matcher(jobOption);
            if (!m.matches()) {
                throw new SlurmUsageException("sbcast: error: Invalid job id specified: " + jobOption);
            }
            String named = m.group(2) == null ? m.group(1) : m.group(1) + "_" + m.group(2);
            if (current == null || current.isEmpty()) {
                throw lookup(named, "sbcast runs inside a job only: Cadre reaches a job's nodes through that job's"
                        + " exec relay, which only the job's own scripts and tasks are given (" + EXEC_SOCKET
                        + " is not set here)");
            }
            if (!names(env, current).contains(named)) {
                throw lookup(named, "from inside job " + current + " only its own nodes can be reached: the exec"
                        + " relay takes this job's credential and no other job's");
            }
            if (m.group(3) != null) {
                throw lookup(named, "Cadre has no heterogeneous jobs, so job " + named + " has no component +"
                        + m.group(3));
            }
            job = current;
        }
        String socket = env.get(EXEC_SOCKET);
        String nodes = env.get(EXEC_NODES);
        if (socket == null || socket.isEmpty() || nodes == null || nodes.isEmpty()) {
            throw lookup(job, (socket == null || socket.isEmpty() ? EXEC_SOCKET : EXEC_NODES) + " is not set: Cadre"
                    + " reaches a job's nodes through its exec relay, which a job's batch script, salloc's command and"
                    + " srun's tasks are given; run sbcast in one of those");
        }
        List<String> hosts = hosts(nodes);
        if (hosts.isEmpty()) {
            throw lookup(job, EXEC_NODES + " names no node: '" + nodes + "'");
        }
        return new SbcastAllocation(job, hosts);
    }

    /** The names -j may give the current job: its id, and its array task's Slurm name. */
    private static Set<String> names(Map<String, String> env, String current) {
        Set<String> names = new LinkedHashSet<>();
        names.add(current);
        String slurmId = env.get("SLURM_JOB_ID");
        if (slurmId != null && !slurmId.isEmpty()) {
            names.add(slurmId);
        }
        String array = env.get("SLURM_ARRAY_JOB_ID");
        String task = env.get("SLURM_ARRAY_TASK_ID");
        if (array != null && task != null) {
            names.add(array + "_" + task);
        }
        return names;
    }

    /** The host names of {@code HOST=NODEID,...} in order, each node once; malformed pairs are skipped. */
    static List<String> hosts(String nodes) {
        List<String> hosts = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (String pair : nodes.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && eq < pair.length() - 1 && ids.add(pair.substring(eq + 1))) {
                hosts.add(pair.substring(0, eq));
            }
        }
        return hosts;
    }

    private static SlurmUsageException lookup(String job, String why) {
        return new SlurmUsageException("sbcast: error: Slurm job ID " + job + " lookup error: " + why);
    }
}
