package dev.cadre.cli;

import dev.cadre.cli.wire.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;

/**
 * scontrol ping: "Slurmctld(primary) at HOST is UP", HOST the head as the client file names it (its REST API's
 * host), or "is DOWN" and exit 1 when the head does not answer. Any HTTP answer counts, a refusal too, as slurmctld
 * is up when it answers a ping. Cadre's head has no backup, so there is one line; root is also shown Slurm's banner
 * asking to restore the controller.
 */
final class ScontrolPing {
    /** What a head that answers is asked: small, and readable with the client file's token. */
    static final String PATH = "/api/cluster";
    private final PrintStream out;
    private final String config;

    ScontrolPing(PrintStream out, String config) {
        this.out = out;
        this.config = config;
    }

    /** @param keyword the word as typed, as scontrol names it in its complaint about arguments */
    int run(String keyword, List<String> args, PrintStream err) throws RestClient.ClientException {
        if (!args.isEmpty()) {
            err.println("too many arguments for keyword:" + keyword);
            return 1;
        }
        RestClient rest = RestClient.fromConfig(config);
        String host = host();
        boolean up;
        try {
            rest.get(PATH);
            up = true;
        } catch (RestClient.ClientException e) {
            up = e.status > 0;
        }
        out.println("Slurmctld(primary) at " + host + " is " + (up ? "UP" : "DOWN"));
        if (!up && "root".equals(System.getProperty("user.name"))) {
            out.println("*****************************************");
            out.println("** RESTORE SLURMCTLD DAEMON TO SERVICE **");
            out.println("*****************************************");
        }
        return up ? 0 : 1;
    }

    /** The REST API's host in the client file, which {@link RestClient#fromConfig} has read and found valid. */
    private String host() throws RestClient.ClientException {
        try {
            return URI.create(Json.parse(Files.readString(RestClient.clientFile(config, System.getenv()))).path("httpUrl")
                    .asText()).getHost();
        } catch (IOException | IllegalArgumentException e) {
            throw new RestClient.ClientException(0, "cannot read the client file again: " + e.getMessage());
        }
    }
}
