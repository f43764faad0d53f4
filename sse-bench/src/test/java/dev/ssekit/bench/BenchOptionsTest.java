package dev.ssekit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void readsNameValuePairs() {
        Map<String, String> options = Bench.parse(new String[] {
            "--scenario", "idle", "--counts", "20,40", "--server-jvm", "-Xmx1g -XX:+UseG1GC"});

        assertThat(options).containsExactlyInAnyOrderEntriesOf(Map.of("scenario", "idle",
                "counts", "20,40", "server-jvm", "-Xmx1g -XX:+UseG1GC"));
    }

    @Test
    void refusesAMisspeltOptionInsteadOfRunningTheDefaults() {
        assertThatThrownBy(() -> Bench.parse(new String[] {"--coutns", "20"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option --coutns")
                .hasMessageContaining("--counts");
    }

    @Test
    void refusesAnOptionWithoutItsValue() {
        assertThatThrownBy(() -> Bench.parse(new String[] {"--scenario", "idle", "--counts"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option --counts needs a value");
    }
}
