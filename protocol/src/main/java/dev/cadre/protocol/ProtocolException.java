package dev.cadre.protocol;

/** A message that cannot be accepted; the text says what is wrong and, where known, which field. */
public class ProtocolException extends Exception {
    private final RejectionCode code;
    private final String field;

    public ProtocolException(RejectionCode code, String reason, String field) {
        super(reason);
        this.code = code;
        this.field = field;
    }

    public ProtocolException(RejectionCode code, String reason) {
        this(code, reason, null);
    }

    public RejectionCode code() {
        return code;
    }

    /** Dotted path of the field at fault, or null. */
    public String field() {
        return field;
    }
}
