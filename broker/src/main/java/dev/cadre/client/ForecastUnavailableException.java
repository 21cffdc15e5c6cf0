package dev.cadre.client;

import dev.cadre.protocol.ClientReply.StartForecast.Unavailable;
import java.time.Duration;

/**
 * The scheduler planned nothing for a start forecast for now, and the same question may be answered if asked again
 * after {@link #retryAfter()}: as many forecasts wait as it keeps ({@code busy}) or it is stopping ({@code stopping};
 * ask once it, or the head that takes over, is back). The REST API answers these 503 with the same Retry-After.
 */
public final class ForecastUnavailableException extends CadreException {
    private final Unavailable why;
    private final Duration retryAfter;

    public ForecastUnavailableException(String what, Unavailable why, String reason) {
        super("cannot forecast " + what + " for now (" + why.wireName() + "): " + reason);
        this.why = why;
        this.retryAfter = retryAfter(why);
    }

    /** A few plans wait at most, each a fraction of a second; a stopping scheduler is back, or replaced, later. */
    static Duration retryAfter(Unavailable why) {
        return why == Unavailable.BUSY ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
    }

    public Unavailable why() {
        return why;
    }

    /** How long to wait before asking again: what the head's REST API sends as Retry-After. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
