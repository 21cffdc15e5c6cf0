package dev.cadre.web;

import dev.cadre.protocol.JobState;

/** A request the API refuses; rendered as application/problem+json with the HTTP status. */
final class ApiException extends Exception {
    final int status;
    final String field;
    /** The job's state when the scheduler refused to change it, so a client can word the refusal its way. */
    final JobState state;

    ApiException(int status, String detail, String field, JobState state) {
        super(detail);
        this.status = status;
        this.field = field;
        this.state = state;
    }

    ApiException(int status, String detail, String field) {
        this(status, detail, field, null);
    }

    ApiException(int status, String detail) {
        this(status, detail, null, null);
    }
}
