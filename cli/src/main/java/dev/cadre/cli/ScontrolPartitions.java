package dev.cadre.cli;

import dev.cadre.cli.slurm.ScontrolPartition;
import dev.cadre.cli.slurm.ScontrolPartitionFormat;
import dev.cadre.cli.slurm.SinfoNode;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.Partition;
import dev.cadre.protocol.PartitionRefusal;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * scontrol create, update, delete and show partition over the REST API (/api/partitions), in scontrol's words: create
 * and update print nothing, a refusal is "Error creating the partition: ", "slurm_update error: " or
 * "delete_partition PartitionName=X: " and the text of Slurm's error number ({@link PartitionRefusal#slurmText}), with
 * the head's reason after it. Only an operator ({@link SlurmOperator}) may change one; anyone may show them.
 */
final class ScontrolPartitions {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Duration patience;

    ScontrolPartitions(PrintStream out, PrintStream err, String config, Duration patience) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.patience = patience;
    }

    /** The head's partitions; Cadre's first alone from a head older than its partitions (404). */
    static List<Partition> read(RestClient rest) throws RestClient.ClientException {
        try {
            List<Partition> out = new ArrayList<>();
            for (Json p : rest.get("/api/partitions")) {
                out.add(new Partition(p.path("name").asText(), p.path("nodes").asText(Partition.ALL),
                        p.path("default").asBoolean(false), minutes(p.path("maxTimeMinutes")),
                        minutes(p.path("defaultTimeMinutes")), p.path("state").asText(Partition.UP)));
            }
            return out;
        } catch (RestClient.ClientException e) {
            if (e.status != 404) {
                throw e;
            }
            return List.of(Partition.first());
        }
    }

    private static Long minutes(Json j) {
        return j.isNumber() ? j.asLong() : null;
    }

    /** @param args the words after "create" */
    int create(List<String> args, boolean root) throws RestClient.ClientException {
        ScontrolPartition p;
        try {
            p = ScontrolPartition.create(args);
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        if (!root) {
            return notOperator("Error creating the partition");
        }
        try {
            changes().rest().post("/api/partitions", ScontrolChanges.asked(p.body(), root));
            return 0;
        } catch (RestClient.ClientException e) {
            return changes().refused(e, "Error creating the partition");
        }
    }

    /** @param args the words after "update", one of them PartitionName=X */
    int update(List<String> args, boolean root) throws RestClient.ClientException {
        ScontrolPartition p;
        try {
            p = ScontrolPartition.update(args);
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        if (!root) {
            return notOperator("slurm_update error");
        }
        Map<String, Object> body = ScontrolChanges.asked(p.body(), root);
        body.remove("name");
        try {
            changes().rest().post("/api/partitions/" + ScontrolChanges.encoded(p.name()), body);
            return 0;
        } catch (RestClient.ClientException e) {
            return changes().refused(e, "slurm_update error");
        }
    }

    /**
     * @param word the word naming it, as scontrol echoes it: "PartitionName=X"
     * @param name X
     */
    int delete(String word, String name, boolean root) throws RestClient.ClientException {
        if (!root) {
            return notOperator("delete_partition " + word);
        }
        try {
            changes().rest().delete("/api/partitions/" + ScontrolChanges.encoded(name) + "?user="
                    + ScontrolChanges.encoded(System.getProperty("user.name")) + "&operator=" + root);
            return 0;
        } catch (RestClient.ClientException e) {
            return changes().refused(e, "delete_partition " + word);
        }
    }

    /** show partition [NAME]: each, or the one named, with its nodes; "Partition NAME not found" on stdout. */
    int show(String name, boolean oneLiner) throws RestClient.ClientException {
        RestClient rest = RestClient.fromConfig(config);
        List<Partition> shown = read(rest).stream().filter(p -> name == null || p.name().equals(name)).toList();
        if (shown.isEmpty()) {
            out.println(name == null ? "No partitions in the system" : "Partition " + name + " not found");
            return name == null ? 0 : 1;
        }
        List<SinfoNode> nodes = new ArrayList<>();
        for (Json n : rest.get("/api/nodes")) {
            nodes.add(SlurmCommands.sinfoNode(n));
        }
        StringBuilder text = new StringBuilder();
        for (Partition p : shown) {
            text.append(ScontrolPartitionFormat.render(p, ScontrolPartitionFormat.nodesOf(p, nodes), oneLiner));
        }
        out.print(text);
        return 0;
    }

    /** Refused here, as slurmctld refuses anyone but root and SlurmUser, rather than by the REST API's 403. */
    private int notOperator(String what) {
        err.println(what + ": " + PartitionRefusal.ACCESS_DENIED.slurmText() + " (only root or the head's owner"
                + " may create, update or delete a partition)");
        return 1;
    }

    private ScontrolChanges changes() {
        return new ScontrolChanges(err, config, patience, code -> {
            for (PartitionRefusal c : PartitionRefusal.values()) {
                if (c.wireName().equals(code)) {
                    return c.slurmText();
                }
            }
            return null;
        }, "scontrol show partition");
    }
}
