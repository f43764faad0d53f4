package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Tryout finding 6: a list holding {@code *} skips the validation of every pattern after it,
 * so the same malformed list is refused or accepted depending on its order. Disabled until
 * fixed; run with {@code -Djunit.jupiter.conditions.deactivate=org.junit.*DisabledCondition}.
 */
class TryoutFilterFindingTest {

    @Test
    @Disabled("tryout finding 6: '*,a*b' and 'x,*,' are accepted; 'a*b,*' is refused")
    void everyPatternIsValidatedWhateverItsPosition() {
        assertThatThrownBy(() -> EventTypeFilter.parse("a*b,*"))
                .isInstanceOf(InvalidFilterException.class);
        assertThatThrownBy(() -> EventTypeFilter.parse("*,a*b"))
                .isInstanceOf(InvalidFilterException.class);
        assertThatThrownBy(() -> EventTypeFilter.parse("x,*,"))
                .isInstanceOf(InvalidFilterException.class);
    }
}
