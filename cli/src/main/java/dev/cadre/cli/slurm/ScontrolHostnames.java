package dev.cadre.cli.slurm;

import dev.cadre.protocol.HostList;
import java.util.List;
import java.util.Map;

/**
 * {@code scontrol show hostnames [LIST]}: a Slurm host list ("n[01-03],gpu1") one host name a line, as job scripts
 * take the first of them for MASTER_ADDR. Without a list it is the job's, from the environment, as scontrol does.
 */
public final class ScontrolHostnames {
    private ScontrolHostnames() {
    }

    /** @throws SlurmUsageException with scontrol's complete stderr line, when there is no list or it is not one */
    public static List<String> of(String list, Map<String, String> env) throws SlurmUsageException {
        String hosts = list != null ? list : env.get("SLURM_JOB_NODELIST");
        if (hosts == null) {
            hosts = env.get("SLURM_NODELIST");
        }
        if (hosts == null || hosts.isBlank()) {
            throw new SlurmUsageException("scontrol: error: host list is empty");
        }
        try {
            return HostList.expand(hosts);
        } catch (IllegalArgumentException e) {
            throw new SlurmUsageException("Invalid hostlist: " + hosts + " (" + e.getMessage() + ")");
        }
    }
}
