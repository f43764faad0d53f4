package dev.ssekit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One server-sent event: an immutable value built with {@link #builder()}.
 *
 * <p>The fields map onto the event-stream format of the WHATWG HTML standard: {@code id},
 * {@code event} (here {@link #type()}), {@code retry} and {@code data}. The data is either a
 * string, written as it is, or any other object, which the hub serializes to JSON once per
 * event. The builder validates every field, so an event that exists can always be encoded:
 * a type or id containing CR, LF or NUL is rejected with an {@link IllegalArgumentException}
 * naming the field, never stripped.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class SseEvent {

    private final String id;
    private final String type;
    private final Object data;
    private final Duration retry;
    private final Instant createdAt;

    private SseEvent(Builder builder) {
        this.id = builder.id;
        this.type = builder.type;
        this.data = builder.data;
        this.retry = builder.retry;
        this.createdAt = builder.createdAt;
    }

    /** Returns a new builder; {@link Builder#build()} validates what was set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Shorthand for an event of the given type and data, with no id (the hub assigns one).
     *
     * @throws IllegalArgumentException if the type contains CR, LF or NUL, or is empty
     */
    public static SseEvent of(String type, Object data) {
        return builder().type(type).data(data).build();
    }

    /** The {@code id:} field, or {@code null} when the hub should assign one. */
    public String id() {
        return id;
    }

    /** The {@code event:} field, or {@code null} for the default type {@code message}. */
    public String type() {
        return type;
    }

    /** The type a client dispatches: {@link #type()}, or {@code "message"} when unset. */
    public String effectiveType() {
        return type == null ? "message" : type;
    }

    /** The payload: a {@link String} written as is, any other object serialized as JSON. */
    public Object data() {
        return data;
    }

    /** The {@code retry:} field, or {@code null} when absent. */
    public Duration retry() {
        return retry;
    }

    /** When the event was built (or the time set on the builder). Never {@code null}. */
    public Instant createdAt() {
        return createdAt;
    }

    /** Returns a builder holding this event's fields, to derive a changed copy. */
    public Builder toBuilder() {
        return builder().id(id).type(type).data(data).retry(retry).createdAt(createdAt);
    }

    @Override
    public String toString() {
        // The payload may hold personal data: it is deliberately left out.
        return "SseEvent[id=" + id + ", type=" + effectiveType() + "]";
    }

    /**
     * Builds an {@link SseEvent}. Not thread-safe; use one builder per thread.
     */
    public static final class Builder {

        private String id;
        private String type;
        private Object data = "";
        private Duration retry;
        private Instant createdAt;

        private Builder() {
        }

        /** Sets the {@code id:} field; {@code null} lets the hub assign one. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** Sets the {@code event:} field; {@code null} means the default {@code message}. */
        public Builder type(String type) {
            this.type = type;
            return this;
        }

        /** Sets the payload; {@code null} is treated as empty data. */
        public Builder data(Object data) {
            this.data = data == null ? "" : data;
            return this;
        }

        /** Sets the {@code retry:} field, the client's reconnection delay. */
        public Builder retry(Duration retry) {
            this.retry = retry;
            return this;
        }

        /** Sets the creation time; defaults to the system clock at {@link #build()}. */
        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        /**
         * Validates the fields and returns the event.
         *
         * @throws IllegalArgumentException if the id or type contains CR, LF or NUL, if the type
         *     is empty, or if the retry is negative
         */
        public SseEvent build() {
            FieldRules.checkLineFree("id", id);
            FieldRules.checkLineFree("type", type);
            if (type != null && type.isEmpty()) {
                throw new IllegalArgumentException(
                        "type must not be empty; use null for the default type 'message'");
            }
            if (retry != null && retry.isNegative()) {
                throw new IllegalArgumentException("retry must not be negative: " + retry);
            }
            if (createdAt == null) {
                createdAt = Instant.now();
            }
            Objects.requireNonNull(data, "data");
            return new SseEvent(this);
        }
    }
}
