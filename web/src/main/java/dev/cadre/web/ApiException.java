package dev.cadre.web;

/** A request the API refuses; rendered as application/problem+json with the HTTP status. */
final class ApiException extends Exception {
    final int status;
    final String field;

    ApiException(int status, String detail, String field) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    ApiException(int status, String detail) {
        this(status, detail, null);
    }
}
