package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnnouncedAddressTest {
    private static final String NONE = "no network interface that is up has an IPv4 address";
    private final SteppedClock clock = new SteppedClock();
    private final AnnouncedAddress plan = new AnnouncedAddress(clock, Duration.ofMinutes(10));

    @Test
    void aHeadWithoutAnAddressYetWarnsThenAnnouncesOnceOneAppears() {
        AnnouncedAddress.Step first = plan.next(Optional.empty(), NONE);
        assertEquals(new AnnouncedAddress.Step.Warn("not announced over mDNS yet: " + NONE + "; announcing once an"
                + " address appears (--mdns-address off turns the announcement off, --mdns-address ADDR picks one)"),
                first);
        clock.advance(Duration.ofSeconds(10));
        assertEquals(new AnnouncedAddress.Step.Keep(), plan.next(Optional.empty(), NONE), "said once per 10 min");
        clock.advance(Duration.ofMinutes(10));
        assertEquals(AnnouncedAddress.Step.Warn.class, plan.next(Optional.empty(), NONE).getClass());

        assertEquals(new AnnouncedAddress.Step.Announce("192.0.2.2", Optional.empty()),
                plan.next(Optional.of("192.0.2.2"), NONE));
        assertEquals(new AnnouncedAddress.Step.Keep(), plan.next(Optional.of("192.0.2.2"), NONE));
    }

    @Test
    void aChangedAddressIsAnnouncedInsteadOfTheOldOne() {
        plan.next(Optional.of("192.0.2.2"), NONE);
        assertEquals(new AnnouncedAddress.Step.Announce("192.0.2.77", Optional.of("192.0.2.2")),
                plan.next(Optional.of("192.0.2.77"), NONE));
        assertEquals(Optional.of("192.0.2.77"), plan.current());
    }

    @Test
    void anAddressThatVanishesKeepsTheAnnouncementAndSaysSo() {
        plan.next(Optional.of("192.0.2.2"), NONE);
        assertEquals(new AnnouncedAddress.Step.Warn("the address 192.0.2.2 the head announces from is gone: " + NONE
                + "; the announcement stays until another address appears"), plan.next(Optional.empty(), NONE));
        assertEquals(new AnnouncedAddress.Step.Keep(), plan.next(Optional.of("192.0.2.2"), NONE),
                "back again: the announcement never went");
    }

    @Test
    void aFailedAnnouncementIsTriedAgain() {
        plan.next(Optional.of("192.0.2.2"), NONE);
        plan.retry();
        assertEquals(new AnnouncedAddress.Step.Announce("192.0.2.2", Optional.empty()),
                plan.next(Optional.of("192.0.2.2"), NONE));
    }
}
