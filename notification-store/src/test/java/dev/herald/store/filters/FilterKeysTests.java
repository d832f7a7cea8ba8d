package dev.herald.store.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class FilterKeysTests {

    @Test
    void prefixesEndAtDotsOnly() {
        assertThat(FilterKeys.of("order.shipped.late", List.of("vip")))
                .containsExactly("type:order.shipped.late", "type:order.*", "type:order.shipped.*", "tag:vip");
        assertThat(FilterKeys.of("order_x-y", List.of())).containsExactly("type:order_x-y");
        assertThat(FilterKeys.of("order", List.of())).containsExactly("type:order");
    }

    @Test
    void parsesTheFiltersTheApiTakes() {
        assertThat(FilterKeys.parse("all").key()).isEmpty();
        assertThat(FilterKeys.parse("all").refused()).isFalse();
        assertThat(FilterKeys.parse("type:order.*").key()).isEqualTo(Optional.of("type:order.*"));
        assertThat(FilterKeys.parse("type:order.shipped").key()).isEqualTo(Optional.of("type:order.shipped"));
        assertThat(FilterKeys.parse("tag:eu-west").key()).isEqualTo(Optional.of("tag:eu-west"));
        assertThat(FilterKeys.typeFilter("order.*").key()).isEqualTo(Optional.of("type:order.*"));
        assertThat(FilterKeys.tagFilter("vip").key()).isEqualTo(Optional.of("tag:vip"));
    }

    @Test
    void refusesWhatIsNoFilter() {
        for (String bad : List.of("", "unread", "type:", "type:.*", "type:*", "type:order*", "type:Order", "type:order.**",
                "tag:", "tag:VIP", "tag:vip.*", "tag:" + "x".repeat(33), "state:seen", "ALL")) {
            assertThat(FilterKeys.parse(bad).refused()).as(bad).isTrue();
        }
    }
}
