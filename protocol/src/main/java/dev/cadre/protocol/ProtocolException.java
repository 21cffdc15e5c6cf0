package dev.cadre.protocol;

/** A message that cannot be accepted; the text says what is wrong and, where known, which field. */
public class ProtocolException extends Exception {
    private final String field;

    public ProtocolException(String reason, String field) {
        super(reason);
        this.field = field;
    }

    public ProtocolException(String reason) {
        this(reason, null);
    }

    /** Dotted path of the field at fault, or null. */
    public String field() {
        return field;
    }
}
