package dev.cadre.cli;

import dev.cadre.protocol.JobSpecValidator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of POST /api/jobs/ID/cancel as the commands send it (scancel, and srun or salloc cancelling their job when
 * interrupted): with the name of the account running the command as who asks, which the job keeps and sacct shows as
 * "CANCELLED by UID". The REST API has one token for everyone and knows no caller, so the command says who it runs
 * as, as scontrol's drain does. A name that is no user name (docs/protocol.md 5.3) is left out rather than have the
 * cancel refused for it: the job is cancelled naming nobody.
 */
final class CancelBody {
    private CancelBody() {
    }

    /** The fields given, and "user". */
    static Map<String, Object> of(Map<String, Object> fields) {
        return of(fields, System.getProperty("user.name"));
    }

    static Map<String, Object> of(Map<String, Object> fields, String me) {
        Map<String, Object> body = new LinkedHashMap<>(fields);
        if (JobSpecValidator.isUserName(me)) {
            body.put("user", me);
        }
        return body;
    }
}
