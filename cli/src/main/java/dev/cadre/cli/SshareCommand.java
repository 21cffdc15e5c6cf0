package dev.cadre.cli;

import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.ShareReport;
import dev.cadre.cli.slurm.SshareFormat;
import dev.cadre.cli.slurm.SshareOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** sshare over the REST API: the users' fair-share usage and factors as the head last worked them out. */
final class SshareCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Map<String, String> env;

    SshareCommand(PrintStream out, PrintStream err, String config, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.env = env;
    }

    int run(List<String> args) {
        String caller = System.getProperty("user.name");
        CommandOptions<SshareOptions> read = CommandOptions.read(() -> SshareOptions.parse(args, caller, env), out,
                err);
        if (read.exit() != null) {
            return read.exit();
        }
        ShareReport report;
        try {
            report = ShareReport.of(RestClient.fromConfig(config).get("/api/shares"));
        } catch (RestClient.ClientException e) {
            err.println("sshare: error: Couldn't get shares from controller: " + e.getMessage());
            return 1;
        }
        StringBuilder text = new StringBuilder();
        for (String line : SshareFormat.render(read.options(), report)) {
            text.append(line).append('\n');
        }
        out.print(text);
        return 0;
    }
}
