package dev.cadre.node;

import dev.cadre.protocol.RunnerEvent;
import java.util.concurrent.CompletableFuture;

/** Where a {@link JobSupervisor}'s runner events go; implementations send them durably and throw if they could not. */
public interface AttemptEvents {
    void send(RunnerEvent event) throws Exception;

    /**
     * Hands the event over and returns; the future completes once it is sent durably, or fails with why not.
     * A job's end goes this way, so that ends do not each hold a thread while their event is sent: many ends
     * then queue up behind one send and share the next message. This default sends before it returns.
     */
    default CompletableFuture<Void> sendInBackground(RunnerEvent event) {
        try {
            send(event);
            return CompletableFuture.completedFuture(null);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
