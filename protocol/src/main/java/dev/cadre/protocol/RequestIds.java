package dev.cadre.protocol;

import java.util.regex.Pattern;

/**
 * The client's id of a control request ({@link ControlRequest#requestId()}), and of the REST API's
 * Idempotency-Key, which carries the same id. Narrower than a submission id: it travels in an HTTP header too, and
 * is printed in messages that tell the user the request may still be carried out, so one printable ASCII word.
 */
public final class RequestIds {
    public static final int MAX_LENGTH = 128;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:+/=@-]{1," + MAX_LENGTH + "}");

    /** What {@link #problem} asks of an id, as a refusal says it. */
    public static final String RULE = "must be 1 to " + MAX_LENGTH + " letters, digits or the characters . _ : + / = @"
            + " - (a UUID fits)";

    private RequestIds() {
    }

    /** Why the id cannot be used, or null when it can (null, for no id, can). */
    public static String problem(String requestId) {
        if (requestId == null || ALLOWED.matcher(requestId).matches()) {
            return null;
        }
        return RULE;
    }
}
