package io.gpuslicer.extender.observe;

import io.gpuslicer.extender.observe.EventCorrelator.Action;
import io.gpuslicer.extender.observe.EventCorrelator.Create;
import io.gpuslicer.extender.observe.EventCorrelator.Key;
import io.gpuslicer.extender.observe.EventCorrelator.Skip;
import io.gpuslicer.extender.observe.EventCorrelator.Update;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** client-go's correlation rules (tools/record/events_cache.go): dedupe into counts, aggregate floods, rate-limit. */
class EventCorrelatorTest {
    private final FleetObserverTest.SettableClock clock = new FleetObserverTest.SettableClock();
    private final EventCorrelator correlator = new EventCorrelator(clock);
    private final Key pod = new Key("team-a", "Pod", "train-0", "uid-1", "Normal", "PlacedOnGpuPool");

    /** Observes and, like the sink, records a successful write. */
    private Action write(Key key, String message) {
        Action a = correlator.observe(key, message);
        if (a instanceof Create c) {
            correlator.recorded(key, c.message(), key.name() + ".1", 1);
        } else if (a instanceof Update u) {
            correlator.recorded(key, u.message(), u.eventName(), u.count());
        }
        return a;
    }

    @Test
    void aRepeatedEventIsAPatchOfTheFirstWithItsCountIncremented() {
        assertThat(write(pod, "placed on a100-research")).isEqualTo(new Create("placed on a100-research"));
        assertThat(write(pod, "placed on a100-research")).isEqualTo(new Update("train-0.1", "placed on a100-research", 2));
        assertThat(write(pod, "placed on a100-research")).isEqualTo(new Update("train-0.1", "placed on a100-research", 3));
    }

    @Test
    void anotherMessageOrAnotherObjectIsANewEvent() {
        write(pod, "placed on a100-research");
        assertThat(write(pod, "placed on a100-development")).isInstanceOf(Create.class);
        Key other = new Key("team-a", "Pod", "train-1", "uid-2", "Normal", "PlacedOnGpuPool");
        assertThat(write(other, "placed on a100-research")).isInstanceOf(Create.class);
    }

    @Test
    void theTenthDistinctMessageWithinTenMinutesIsCombinedAndFurtherOnesUpdateTheCombinedEvent() {
        for (int i = 1; i <= 9; i++) {
            assertThat(write(pod, "message " + i)).isEqualTo(new Create("message " + i));
        }
        assertThat(write(pod, "message 10")).isEqualTo(new Create("(combined from similar events): message 10"));
        assertThat(write(pod, "message 11")).isEqualTo(new Update("train-0.1", "(combined from similar events): message 11", 2));
    }

    @Test
    void repeatsOfTheFirstMessageAmongOthersAreNotCountedAsDistinct() {
        write(pod, "message 1");
        for (int i = 2; i <= 9; i++) {
            write(pod, "message " + i);
            write(pod, "message 1");
        }
        assertThat(write(pod, "message 9")).as("nine distinct messages, however often the first came back")
                .isEqualTo(new Update("train-0.1", "message 9", 2));
        assertThat(write(pod, "message 10")).isEqualTo(new Create("(combined from similar events): message 10"));
    }

    @Test
    void distinctMessagesFurtherApartThanTheIntervalAreNotCombined() {
        for (int i = 1; i <= 9; i++) {
            write(pod, "message " + i);
        }
        clock.now = clock.now.plus(Duration.ofSeconds(601));
        assertThat(write(pod, "message 10")).isEqualTo(new Create("message 10"));
    }

    @Test
    void anObjectGetsABurstOf25EventsThenOneEveryFiveMinutes() {
        for (int i = 0; i < 25; i++) {
            assertThat(write(pod, "same")).isNotInstanceOf(Skip.class);
        }
        assertThat(write(pod, "same")).isInstanceOf(Skip.class);
        Key other = new Key("team-a", "Pod", "train-1", "uid-2", "Normal", "PlacedOnGpuPool");
        assertThat(write(other, "same")).as("the limit is per object").isInstanceOf(Create.class);
        clock.now = clock.now.plus(Duration.ofSeconds(300));
        assertThat(write(pod, "same")).isEqualTo(new Update("train-0.1", "same", 26));
        assertThat(write(pod, "same")).isInstanceOf(Skip.class);
    }

    @Test
    void aForgottenEventIsCreatedAgain() {
        write(pod, "same");
        correlator.forget(pod, "same");
        assertThat(write(pod, "same")).isInstanceOf(Create.class);
        assertThat(clock.now).isBefore(Instant.now().plusSeconds(1));
    }
}
