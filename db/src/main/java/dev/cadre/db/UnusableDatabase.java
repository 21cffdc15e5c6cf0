package dev.cadre.db;

/**
 * The head's database cannot be used as it is: damaged, someone else's, newer than this Cadre, or not writable.
 * The message names the file and what the operator can do; the head refuses to start on it.
 */
public final class UnusableDatabase extends IllegalStateException {
    UnusableDatabase(String message, Throwable cause) {
        super(message, cause);
    }
}
