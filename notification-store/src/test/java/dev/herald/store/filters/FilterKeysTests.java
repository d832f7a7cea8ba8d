package dev.herald.store.filters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class FilterKeysTests {

    @Test
    void prefixesEndAtDotsOnly() {
        assertThat(FilterKeys.matching("order.shipped.late", List.of("vip")))
                .containsExactly("type:order.shipped.late", "type:order.*", "type:order.shipped.*", "tag:vip");
        assertThat(FilterKeys.matching("order_x-y", List.of())).containsExactly("type:order_x-y");
        assertThat(FilterKeys.matching("order", List.of())).containsExactly("type:order");
    }

    @Test
    void aNotificationIsStoredUnderItsTypeAndTagsAndPrefixesCoverTheirRange() {
        assertThat(FilterKeys.stored("order.shipped.late", List.of("vip"))).containsExactly("type:order.shipped.late", "tag:vip");
        assertThat(FilterKeys.isPrefix("type:order.*")).isTrue();
        assertThat(FilterKeys.isPrefix("type:order.shipped")).isFalse();
        assertThat(FilterKeys.rangeStart("type:order.*")).isEqualTo("type:order.");
        assertThat(FilterKeys.rangeEnd("type:order.*")).isEqualTo("type:order/");
        for (String type : List.of("order.shipped", "order.shipped.late", "order.a", "order.shipped_x-y")) {
            String stored = "type:" + type;
            assertThat(FilterKeys.covers("type:order.*", stored)).as(type).isTrue();
            assertThat(stored.compareTo("type:order.") >= 0 && stored.compareTo("type:order/") < 0).as(type).isTrue();
        }
        for (String type : List.of("order", "orders.new", "order_x.y", "order-x.y", "ord.er")) {
            String stored = "type:" + type;
            assertThat(FilterKeys.covers("type:order.*", stored)).as(type).isFalse();
            assertThat(stored.compareTo("type:order.") >= 0 && stored.compareTo("type:order/") < 0).as(type).isFalse();
        }
        assertThat(FilterKeys.covers("type:order.shipped", "type:order.shipped")).isTrue();
        assertThat(FilterKeys.covers("type:order.shipped", "type:order.shipped.late")).isFalse();
        assertThat(FilterKeys.covers("tag:vip", "tag:vip")).isTrue();
        assertThat(FilterKeys.covers("tag:vip", "tag:vips")).isFalse();
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
