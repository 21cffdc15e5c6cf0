package dev.cadre.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * What scontrol's create, update and delete of reservations and partitions share: the request made patient over the
 * REST API, the asker's name and operator word in its body, and a refusal printed in scontrol's words, the text of
 * Slurm's error number for the head's code and the head's reason after it.
 */
final class ScontrolChanges {
    private final PrintStream err;
    private final String config;
    private final Duration patience;
    /** Slurm's text for a refusal code, or null for a code it has none for. */
    private final Function<String, String> slurmText;
    /** What scontrol shows them with, which a refused request that may still be carried out names. */
    private final String show;

    ScontrolChanges(PrintStream err, String config, Duration patience, Function<String, String> slurmText,
            String show) {
        this.err = err;
        this.config = config;
        this.patience = patience;
        this.slurmText = slurmText;
        this.show = show;
    }

    PatientControl rest() throws RestClient.ClientException {
        return PatientControl.over(RestClient.fromConfig(config), err, "scontrol", patience);
    }

    static Map<String, Object> asked(Map<String, Object> body, boolean root) {
        body.put("user", System.getProperty("user.name"));
        body.put("operator", root);
        return body;
    }

    /** A refusal in scontrol's words; a head that could not be reached is thrown on, as other commands do. */
    int refused(RestClient.ClientException e, String what) throws RestClient.ClientException {
        if (e.status == 0 && e.answer != RestClient.Answer.NONE) {
            throw e;
        }
        String text = e.code == null ? null : slurmText.apply(e.code);
        err.println(what + ": " + (text == null ? e.getMessage() : text + " (" + e.getMessage() + ")")
                + e.mayStillBeCarriedOut(show));
        return 1;
    }

    static String encoded(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
