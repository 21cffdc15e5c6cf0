package dev.cadre.client;

/** A failure of the Cadre client library: no broker, no answer in time, a refused job, a closed client. */
public class CadreException extends Exception {
    public CadreException(String message) {
        super(message);
    }

    public CadreException(String message, Throwable cause) {
        super(message, cause);
    }
}
