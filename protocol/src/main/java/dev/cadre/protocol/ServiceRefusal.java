package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a service request changed nothing, as a stable wire name a client branches on (REST: the HTTP status). */
public enum ServiceRefusal {
    /** A field is missing or out of range, or the template could never run on the known nodes; see field. */
    INVALID_FIELD("invalid-field"),
    /** No service has that name. */
    NOT_FOUND("not-found"),
    /** The name is taken by another service, or the service is being deleted. */
    CONFLICT("conflict"),
    /** The scheduler failed on the request; nothing was changed. */
    INTERNAL("internal");

    private final String wireName;

    ServiceRefusal(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
