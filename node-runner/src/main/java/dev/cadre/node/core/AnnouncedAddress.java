package dev.cadre.node.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which address a head announces from, judged each time the shell looks at the chosen address again. A head bound
 * to all addresses announces the default route's address; DHCP may change it while the head runs, or there may be
 * none yet when the head starts (boot before the network): the announcement follows the address, and a head with
 * none yet says so (again every {@code remindEvery}) rather than failing to start.
 */
public final class AnnouncedAddress {
    /** What the shell does now. */
    public sealed interface Step {
        /** Nothing changed. */
        record Keep() implements Step {
        }

        /** Announce from this address, withdrawing an earlier announcement from {@code previous} if any. */
        record Announce(String address, Optional<String> previous) implements Step {
        }

        /** No address to announce from: log the warning; an earlier announcement, if any, stays. */
        record Warn(String warning) implements Step {
        }
    }

    private final Clock clock;
    private final Duration remindEvery;
    private String current;
    private Instant warned;

    public AnnouncedAddress(Clock clock, Duration remindEvery) {
        this.clock = clock;
        this.remindEvery = remindEvery;
    }

    /**
     * @param chosen the address chosen now, or empty with why there is none
     * @param noAddressReason why there is none (used when {@code chosen} is empty)
     */
    public synchronized Step next(Optional<String> chosen, String noAddressReason) {
        if (chosen.isPresent()) {
            warned = null;
            if (chosen.get().equals(current)) {
                return new Step.Keep();
            }
            Optional<String> previous = Optional.ofNullable(current);
            current = chosen.get();
            return new Step.Announce(current, previous);
        }
        Instant now = clock.instant();
        if (warned != null && now.isBefore(warned.plus(remindEvery))) {
            return new Step.Keep();
        }
        warned = now;
        return new Step.Warn(current == null
                ? "not announced over mDNS yet: " + noAddressReason + "; announcing once an address appears"
                        + " (--mdns-address off turns the announcement off, --mdns-address ADDR picks one)"
                : "the address " + current + " the head announces from is gone: " + noAddressReason
                        + "; the announcement stays until another address appears");
    }

    /** The announcement from the current address failed: the next look tries it again. */
    public synchronized void retry() {
        current = null;
    }

    public synchronized Optional<String> current() {
        return Optional.ofNullable(current);
    }
}
