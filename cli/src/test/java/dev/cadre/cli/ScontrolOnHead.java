package dev.cadre.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * scontrol run in this JVM against an {@link InJvmHead}, reading lists in pages of 2 so that the pages are followed,
 * and what the show-job tests share: the ids of the records printed, and the end of the jobs a test submitted.
 */
final class ScontrolOnHead {
    private static final Pattern JOB_ID = Pattern.compile("(?m)^JobId=(\\d+) ");

    private ScontrolOnHead() {
    }

    /** Exit code, standard output and standard error of scontrol. */
    static List<Object> scontrol(InJvmHead head, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new ScontrolCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), head.clientFile().toString(), Clock.systemUTC(), 2)
                .run(List.of(args), false, Map.of());
        return List.of(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The JobId= of each record shown, in the order shown. */
    static List<Long> jobIds(String shown) {
        List<Long> ids = new ArrayList<>();
        Matcher m = JOB_ID.matcher(shown);
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }

    /** Cancels the jobs (if any) and waits until no job of the head is left unfinished. */
    static void cancelAndAwaitEnd(InJvmHead head, RestSession rest, List<Long> submitted) throws Exception {
        if (!submitted.isEmpty()) {
            new SlurmCommands(new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(
                    new ByteArrayOutputStream(), true), head.clientFile().toString(), Clock.systemUTC())
                    .scancel(submitted.stream().map(String::valueOf).toList());
        }
        CadreProcess.await("every job to end", RestSession.WAIT, () -> {
            try {
                return rest.ok("GET", "/api/jobs?state=PENDING,RUNNING,COMPLETING,REQUEUED", null).isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }
}
