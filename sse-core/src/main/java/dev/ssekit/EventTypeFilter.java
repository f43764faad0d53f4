package dev.ssekit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Selects which event types a stream receives, as chosen by its client.
 *
 * <p>A filter is a set of patterns: an exact type name ({@code notification}) or a prefix
 * wildcard ending in {@code *} ({@code record.*} matches {@code record.created} and
 * {@code record.updated}; {@code *} alone matches everything). {@link #all()} matches every
 * type. Events without a type are matched as {@code message}.
 *
 * <p>Immutable and thread-safe.
 */
public final class EventTypeFilter {

    /** The most patterns one filter may hold. */
    public static final int MAX_PATTERNS = 64;

    /** The longest pattern accepted, in characters. */
    public static final int MAX_PATTERN_LENGTH = 200;

    private static final EventTypeFilter ALL =
            new EventTypeFilter(Set.of(), List.of(), true);

    private final Set<String> exact;
    private final List<String> prefixes;
    private final boolean matchesAll;

    private EventTypeFilter(Set<String> exact, List<String> prefixes, boolean matchesAll) {
        this.exact = exact;
        this.prefixes = prefixes;
        this.matchesAll = matchesAll;
    }

    /** A filter that selects every event type. */
    public static EventTypeFilter all() {
        return ALL;
    }

    /**
     * Parses a comma-separated list such as {@code record.*,notification}. Blanks around each
     * pattern are ignored; {@code null} or a blank string gives {@link #all()}.
     *
     * @throws InvalidFilterException if a pattern is empty, too long, holds a control
     *     character or white space, or has a {@code *} anywhere but at its end
     */
    public static EventTypeFilter parse(String patterns) {
        if (patterns == null || patterns.isBlank()) {
            return ALL;
        }
        List<String> parts = new ArrayList<>();
        for (String part : patterns.split(",", -1)) {
            parts.add(part.strip());
        }
        return of(parts);
    }

    /**
     * Builds a filter from patterns; an empty collection gives {@link #all()}.
     *
     * @throws InvalidFilterException as for {@link #parse(String)}
     */
    public static EventTypeFilter of(Collection<String> patterns) {
        Objects.requireNonNull(patterns, "patterns");
        if (patterns.isEmpty()) {
            return ALL;
        }
        if (patterns.size() > MAX_PATTERNS) {
            throw new InvalidFilterException("at most " + MAX_PATTERNS
                    + " event types may be selected, got " + patterns.size());
        }

        for (String pattern : patterns) {
            validate(pattern);
        }
        if (patterns.contains("*")) {
            return ALL;
        }

        Set<String> exact = new LinkedHashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String pattern : patterns) {
            if (pattern.endsWith("*")) {
                prefixes.add(pattern.substring(0, pattern.length() - 1));
            } else {
                exact.add(pattern);
            }
        }
        return new EventTypeFilter(Collections.unmodifiableSet(exact),
                List.copyOf(prefixes), false);
    }

    /** Whether an event of this type (or {@code null} for {@code message}) is selected. */
    public boolean matches(String type) {
        if (matchesAll) {
            return true;
        }
        String effective = type == null ? "message" : type;
        if (exact.contains(effective)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (effective.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this filter selects every type. */
    public boolean matchesAll() {
        return matchesAll;
    }

    @Override
    public String toString() {
        if (matchesAll) {
            return "*";
        }
        List<String> all = new ArrayList<>(exact);
        for (String prefix : prefixes) {
            all.add(prefix + "*");
        }
        return String.join(",", all);
    }

    private static void validate(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new InvalidFilterException("event type patterns must not be empty");
        }
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            throw new InvalidFilterException("event type pattern longer than "
                    + MAX_PATTERN_LENGTH + " characters");
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                throw new InvalidFilterException("event type pattern '" + printable(pattern)
                        + "' holds a control or white-space character at index " + i);
            }
            if (c == '*' && i != pattern.length() - 1) {
                throw new InvalidFilterException("event type pattern '" + printable(pattern)
                        + "' may only end with '*', as in 'record.*'");
            }
        }
    }

    private static String printable(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length());
        pattern.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
