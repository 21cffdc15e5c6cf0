package dev.cadre.cli;

import dev.cadre.cli.slurm.NodeReservations;
import dev.cadre.cli.slurm.ScontrolHostlist;
import dev.cadre.cli.slurm.ScontrolHostnames;
import dev.cadre.cli.slurm.ScontrolNodeFormat;
import dev.cadre.cli.slurm.SinfoNode;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.HostList;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * scontrol show for everything but jobs, partitions and reservations: node [NAMES], hostnames [LIST], hostlist LIST and
 * hostlistsorted LIST. The host list ones need no head: job scripts run them.
 */
final class ScontrolShowCommand {
    /** Larger files than Slurm's 1 MB buffer are refused, as scontrol refuses them. */
    private static final int MOST_FILE_BYTES = 1024 * 1024;
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final boolean oneLiner;

    ScontrolShowCommand(PrintStream out, PrintStream err, String config, boolean oneLiner) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.oneLiner = oneLiner;
    }

    /** show hostnames [LIST]: without one, the job's nodes from the environment. */
    int hostnames(String list, Map<String, String> env) {
        try {
            StringBuilder text = new StringBuilder();
            for (String host : ScontrolHostnames.of(list, env)) {
                text.append(host).append('\n');
            }
            out.print(text);
            return 0;
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return e.exitCode();
        }
    }

    /**
     * show hostlist[sorted] LIST: LIST is names and host lists, or, starting with '/', a file of them (one or more a
     * line), as scontrol reads it.
     */
    int hostlist(String list, boolean sorted) {
        String names = list;
        if (list.startsWith("/")) {
            try (InputStream in = Files.newInputStream(Path.of(list))) {
                byte[] bytes = in.readNBytes(MOST_FILE_BYTES);
                if (bytes.length >= MOST_FILE_BYTES) {
                    err.println("File " + list + " is too large");
                    return 1;
                }
                names = new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("Can not open " + list);
                return 1;
            }
        }
        try {
            out.println(ScontrolHostlist.compress(names, sorted));
            return 0;
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return e.exitCode();
        }
    }

    /** show node [NAMES]: every node, or the nodes a host list names. */
    int nodes(String names, ZoneId zone) throws RestClient.ClientException {
        Set<String> wanted;
        try {
            wanted = names == null ? null : new HashSet<>(HostList.expand(names.replaceFirst("(?i)^NodeName=", "")));
        } catch (IllegalArgumentException e) {
            err.println("Node " + names + " not found");
            return 1;
        }
        int shown = 0;
        RestClient rest = RestClient.fromConfig(config);
        NodeReservations held = SlurmCommands.reservations(rest, Instant.now());
        for (Json n : rest.get("/api/nodes")) {
            SinfoNode node = held.apply(SlurmCommands.sinfoNode(n));
            if (wanted != null && !wanted.contains(node.name()) && !wanted.contains(n.path("id").asText())) {
                continue;
            }
            List<Long> jobs = new ArrayList<>();
            n.path("allocated").path("jobIds").forEach(id -> jobs.add(id.asLong()));
            out.print(ScontrolNodeFormat.render(node, n.path("addresses").path(0).asText(null), jobs, zone,
                    oneLiner));
            shown++;
        }
        if (shown == 0) {
            err.println(names == null ? "No nodes in the system" : "Node " + names + " not found");
            return names == null ? 0 : 1;
        }
        return 0;
    }
}
