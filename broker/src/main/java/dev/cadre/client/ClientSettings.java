package dev.cadre.client;

import java.time.Duration;

/**
 * How a {@link CadreClient} behaves.
 *
 * @param user the user whose jobs this client submits and follows (a spec without a user gets this one)
 * @param replyTimeout how long to wait for the scheduler's answer to one send of a request, counted from the send:
 *     time a request waits in the client's queue behind other sends does not count, time a send waits for an absent
 *     broker does; also bounds how long {@link CadreClient#close()} waits to send the cancels made before it
 * @param sendAttempts how many times a submission is sent before its acceptance fails with a timeout; resending
 *     is safe because the submission id makes the scheduler return the same job
 * @param recentEndings how many job endings to keep for acceptances that arrive after the job's end
 * @param clientName shown in connection errors
 */
public record ClientSettings(String user, Duration replyTimeout, int sendAttempts, int recentEndings,
        String clientName) {

    public ClientSettings {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("user is required");
        }
        if (replyTimeout == null || replyTimeout.isNegative() || replyTimeout.isZero()) {
            throw new IllegalArgumentException("replyTimeout must be positive");
        }
        if (sendAttempts < 1) {
            throw new IllegalArgumentException("sendAttempts must be at least 1, not " + sendAttempts);
        }
        if (recentEndings < 1) {
            throw new IllegalArgumentException("recentEndings must be at least 1, not " + recentEndings);
        }
    }

    /** The system user, 10 s per reply, 3 sends, 10,000 remembered endings. */
    public static ClientSettings defaults() {
        return new ClientSettings(System.getProperty("user.name"), Duration.ofSeconds(10), 3, 10_000,
                "cadre-client");
    }

    public ClientSettings withUser(String newUser) {
        return new ClientSettings(newUser, replyTimeout, sendAttempts, recentEndings, clientName);
    }

    public ClientSettings withReplyTimeout(Duration timeout) {
        return new ClientSettings(user, timeout, sendAttempts, recentEndings, clientName);
    }

    public ClientSettings withSendAttempts(int attempts) {
        return new ClientSettings(user, replyTimeout, attempts, recentEndings, clientName);
    }
}
