package dev.cadre.protocol;

/**
 * Hears each event the scheduler publishes on {@link Destinations#EVENTS}, in the head's own process, once the
 * broker has taken it and in publishing order. What shares the scheduler's JVM listens here instead of
 * subscribing through the broker, which would deliver every event once more and have it decoded again.
 */
@FunctionalInterface
public interface JobEventListener {
    /**
     * Called on the publishing thread: it must only queue or record, never block.
     *
     * @param json the event exactly as published
     */
    void published(JobEvent event, String json);
}
