package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeadLossTest {
    private final SteppedClock clock = new SteppedClock();
    private final HeadLoss loss = new HeadLoss(clock, Duration.ofMinutes(2));

    @Test
    void aConnectedNodeNeverBrowses() {
        clock.advance(Duration.ofHours(5));
        assertEquals(HeadLoss.Action.WAIT, loss.decide());
        assertEquals(Optional.empty(), loss.cutOffFor());
    }

    @Test
    void aNodeCutOffForThePatienceBrowsesAndAgainEachPatienceAfter() {
        loss.lost();
        clock.advance(Duration.ofSeconds(119));
        loss.lost();
        assertEquals(HeadLoss.Action.WAIT, loss.decide(), "a second report does not restart the wait");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(HeadLoss.Action.BROWSE, loss.decide());
        assertEquals(Optional.of(Duration.ofMinutes(2)), loss.cutOffFor());

        loss.browsed();
        assertEquals(HeadLoss.Action.WAIT, loss.decide(), "nothing new was announced: wait again");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(HeadLoss.Action.BROWSE, loss.decide());
    }

    @Test
    void aHeadBackInTimeIsKept() {
        loss.lost();
        clock.advance(Duration.ofSeconds(90));
        loss.regained();
        clock.advance(Duration.ofMinutes(10));
        assertEquals(HeadLoss.Action.WAIT, loss.decide());
        loss.browsed();
        assertEquals(Optional.empty(), loss.cutOffFor(), "a browse while connected starts no wait");
    }

    @Test
    void thePatienceMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new HeadLoss(clock, Duration.ZERO));
    }
}
