package dev.ssekit.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UTC clock that tests move forward by hand: either standing still from a fixed instant, or
 * following the system clock (for parts, such as JWT verification inside a container, that
 * compare with real time) plus whatever the test advanced. Safe to read from any thread.
 */
public final class TestClock extends Clock {

    private final Clock base;
    private final AtomicLong offsetMillis = new AtomicLong();

    private TestClock(Clock base) {
        this.base = base;
    }

    /** A clock that stands at {@code start} until advanced. */
    public static TestClock fixedAt(Instant start) {
        return new TestClock(Clock.fixed(start, ZoneOffset.UTC));
    }

    /** A clock that follows the system clock, plus what the test advanced. */
    public static TestClock offsetFromSystem() {
        return new TestClock(Clock.systemUTC());
    }

    /** Moves this clock forward. */
    public void advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
    }

    @Override
    public long millis() {
        return base.millis() + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC only");
    }
}
