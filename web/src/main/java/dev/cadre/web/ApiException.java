package dev.cadre.web;

import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RejectionCode;

/** A request the API refuses; rendered as application/problem+json with the HTTP status. */
final class ApiException extends Exception {
    final int status;
    final String field;
    /** The job's state when the scheduler refused to change it, so a client can word the refusal its way. */
    final JobState state;
    /** For a 503 of a server that is busy rather than broken: when to try again, sent as Retry-After; else null. */
    final Integer retryAfterSeconds;
    /**
     * A wire name for clients to branch on: a refused submission's rejection code (protocol.md 6.4), why a start
     * forecast is unavailable for now (protocol.md 6.10), why a top-jobs was refused (6.12) or a reservation request
     * (6.13); else null.
     */
    final String code;

    private ApiException(int status, String detail, String field, JobState state, Integer retryAfterSeconds,
            String code) {
        super(detail);
        this.status = status;
        this.field = field;
        this.state = state;
        this.retryAfterSeconds = retryAfterSeconds;
        this.code = code;
    }

    ApiException(int status, String detail, String field, JobState state) {
        this(status, detail, field, state, null, null);
    }

    /** 400: a refused submission, as its job-rejected says it (code, reason, field at fault or null). */
    static ApiException rejected(RejectionCode code, String reason, String field) {
        return new ApiException(400, reason, field, null, null, code == null ? null : code.wireName());
    }

    ApiException(int status, String detail, String field) {
        this(status, detail, field, null);
    }

    ApiException(int status, String detail) {
        this(status, detail, null, null);
    }

    /** A refused top-jobs: its refusal code (protocol.md 6.12) and the state of the job it names. */
    static ApiException refusedTop(int status, String detail, JobState state, String code) {
        return new ApiException(status, detail, null, state, null, code);
    }

    /** A refused reservation request: its refusal code (protocol.md 6.13) and the field at fault, or null. */
    static ApiException refusedReservation(int status, String detail, String field, String code) {
        return new ApiException(status, detail, field, null, null, code);
    }

    /** 503: a limit of the server is reached; the client may try again after the given seconds. */
    static ApiException busy(String detail, int retryAfterSeconds) {
        return new ApiException(503, detail, null, null, retryAfterSeconds, null);
    }

    /** 503: the scheduler planned nothing for now, for the reason its code names; ask again after the seconds. */
    static ApiException unavailable(String code, String detail, int retryAfterSeconds) {
        return new ApiException(503, detail, null, null, retryAfterSeconds, code);
    }
}
