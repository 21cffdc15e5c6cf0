package dev.cadre.client;

import dev.cadre.protocol.RejectionCode;

/** The scheduler refused a submission; nothing was stored, and resending the same spec is refused again. */
public final class JobRejectedException extends CadreException {
    private final String submissionId;
    private final RejectionCode code;
    private final String reason;
    private final String field;

    public JobRejectedException(String submissionId, RejectionCode code, String reason, String field) {
        // The scheduler's reason already names the field where there is one.
        super("job rejected (" + (code == null ? "unknown" : code.wireName()) + "): " + reason);
        this.submissionId = submissionId;
        this.code = code;
        this.reason = reason;
        this.field = field;
    }

    public String submissionId() {
        return submissionId;
    }

    public RejectionCode code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** Dotted path of the field at fault (such as {@code spec.workDir}), or null when the whole request is. */
    public String field() {
        return field;
    }
}
