package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventTypeFilterTest {

    @Test
    void noFilterSelectsEveryType() {
        assertThat(EventTypeFilter.parse(null).matches("anything")).isTrue();
        assertThat(EventTypeFilter.parse("  ").matchesAll()).isTrue();
        assertThat(EventTypeFilter.parse("*").matchesAll()).isTrue();
        assertThat(EventTypeFilter.of(List.of()).matches(null)).isTrue();
    }

    @Test
    void exactNamesSelectOnlyThoseTypes() {
        EventTypeFilter filter = EventTypeFilter.parse("notification, record.created");

        assertThat(filter.matches("notification")).isTrue();
        assertThat(filter.matches("record.created")).isTrue();
        assertThat(filter.matches("record.updated")).isFalse();
        assertThat(filter.matches("notifications")).isFalse();
        assertThat(filter.matches(null)).isFalse();
    }

    @Test
    void prefixWildcardSelectsTypesStartingWithThePrefix() {
        EventTypeFilter filter = EventTypeFilter.parse("record.*");

        assertThat(filter.matches("record.created")).isTrue();
        assertThat(filter.matches("record.")).isTrue();
        assertThat(filter.matches("record")).isFalse();
        assertThat(filter.matches("records.created")).isFalse();
        assertThat(filter.matches("audit.record.created")).isFalse();
    }

    @Test
    void untypedEventsMatchAsMessage() {
        assertThat(EventTypeFilter.parse("message").matches(null)).isTrue();
        assertThat(EventTypeFilter.parse("mess*").matches(null)).isTrue();
    }

    @Test
    void rejectsMalformedFiltersWithAClearMessage() {
        assertInvalid("a,,b", "must not be empty");
        assertInvalid("a,", "must not be empty");
        assertInvalid("re*cord", "may only end with '*'");
        assertInvalid("**", "may only end with '*'");
        assertInvalid("a b", "white-space");
        assertInvalid("a\u0000b", "\\u0000");
        assertInvalid("x".repeat(EventTypeFilter.MAX_PATTERN_LENGTH + 1), "longer than");
        assertInvalid("a,".repeat(EventTypeFilter.MAX_PATTERNS) + "a", "at most");
    }

    private static void assertInvalid(String filter, String messagePart) {
        assertThatThrownBy(() -> EventTypeFilter.parse(filter))
                .isInstanceOf(InvalidFilterException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(messagePart);
    }

    @Test
    void validatesEveryPatternWhereverTheWildcardStands() {
        assertThatThrownBy(() -> EventTypeFilter.parse("a*b,*"))
                .isInstanceOf(InvalidFilterException.class);
        assertThatThrownBy(() -> EventTypeFilter.parse("*,a*b"))
                .isInstanceOf(InvalidFilterException.class);
        assertThatThrownBy(() -> EventTypeFilter.parse("x,*,"))
                .isInstanceOf(InvalidFilterException.class);
        assertThat(EventTypeFilter.parse("x,*").matchesAll()).isTrue();
    }
}
