package dev.cadre.cli;

import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.SacctmgrCommandLine;
import dev.cadre.cli.slurm.SacctmgrEventFields;
import dev.cadre.cli.slurm.SacctmgrEvents;
import dev.cadre.cli.slurm.SlurmClusters;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.UnixAccounts;
import dev.cadre.cli.wire.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * sacctmgr: of its commands, {@code show|list event}, the nodes' down and drained periods from the head's history of
 * them (GET /api/nodes/events, one request); the list is laid out here (cli/slurm's Sacctmgr classes). Cadre keeps no
 * accounts database, so every other command is refused.
 */
final class SacctmgrCommand {
    /** The most events one command lists; more are cut, with a warning. */
    static final int LIMIT = 10_000;

    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Clock clock;
    private final Map<String, String> env;

    SacctmgrCommand(PrintStream out, PrintStream err, String config, Clock clock, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.clock = clock;
        this.env = env;
    }

    int run(List<String> args) {
        CommandOptions<SacctmgrCommandLine> read = CommandOptions.read(() -> SacctmgrCommandLine.parse(args, env,
                clock.instant(), clock.getZone()), out, err);
        if (read.exit() != null) {
            return read.exit();
        }
        SacctmgrEvents request = read.options().events();
        try {
            List<SacctmgrEventFields.Event> events = new ArrayList<>();
            boolean truncated = false;
            if (request.asksForRows()) {
                Json answer = RestClient.fromConfig(config).get("/api/nodes/events" + request.query(LIMIT));
                for (Json e : answer.path("events")) {
                    events.add(new SacctmgrEventFields.Event(e.path("hostname").asText(), e.path("state").asText(),
                            e.path("start").asInstant(), e.path("end").asInstant(), e.path("cores").asInt(),
                            e.path("reason").asText(null), e.path("user").asText(null)));
                }
                truncated = answer.path("truncated").asBoolean();
            }
            StringBuilder text = new StringBuilder();
            for (String line : SacctmgrEventFields.lines(request, events, SlurmClusters.name(env), clock.instant(),
                    clock.getZone(), UnixAccounts.system()::uid)) {
                text.append(line).append('\n');
            }
            out.print(text);
            if (truncated) {
                err.println("sacctmgr: warning: only the first " + LIMIT + " events are listed; narrow them with"
                        + " Start=, End=, Nodes= or States=");
            }
            return 0;
        } catch (RestClient.ClientException e) {
            err.println("sacctmgr: error: " + e.getMessage());
            return 1;
        }
    }
}
