package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTests {

    @Test
    void roundTripsThroughItsStringForm() {
        Cursor cursor = new Cursor(7, 10452);
        assertThat(cursor.toString()).isEqualTo("7-10452");
        assertThat(Cursor.parse("7-10452")).isEqualTo(cursor);
        assertThat(Cursor.parse(Cursor.beforeStart(3).toString())).isEqualTo(new Cursor(3, -1));
    }

    @Test
    void ordersByPartitionThenOffset() {
        assertThat(new Cursor(1, 5)).isLessThan(new Cursor(1, 6)).isLessThan(new Cursor(2, 0));
        assertThat(new Cursor(1, 6).isAfter(new Cursor(1, 5))).isTrue();
        assertThat(new Cursor(1, 5).isAfter(new Cursor(1, 5))).isFalse();
        assertThat(new Cursor(2, 9).isAfter(new Cursor(1, 5))).as("other partition").isFalse();
    }

    @Test
    void carriesTheTopicEpoch() {
        Cursor cursor = Cursor.parse("7-10452@Xk3f-Q9_");
        assertThat(cursor).isEqualTo(new Cursor(7, 10452, "Xk3f-Q9_"));
        assertThat(cursor.toString()).isEqualTo("7-10452@Xk3f-Q9_");
        assertThat(Cursor.parse("7--1@e1")).isEqualTo(new Cursor(7, -1, "e1"));
        assertThat(new Cursor(7, 3).withEpoch("e1")).isEqualTo(Cursor.parse("7-3@e1"));
    }

    @Test
    void anUnknownEpochMayBeOfAnyTopic() {
        assertThat(Cursor.parse("7-1@e1").mayBeOf("e1")).isTrue();
        assertThat(Cursor.parse("7-1@e1").mayBeOf("e2")).isFalse();
        assertThat(Cursor.parse("7-1").mayBeOf("e2")).isTrue();
        assertThat(Cursor.parse("7-1@e1").mayBeOf(null)).isTrue();
    }

    @Test
    void ordersIgnoringTheEpoch() {
        assertThat(Cursor.parse("1-6@a").isAfter(Cursor.parse("1-5@b"))).isTrue();
        assertThat(Cursor.parse("1-5@a")).isEqualByComparingTo(Cursor.parse("1-5"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "7", "7-", "-7", "a-1", "1-b", "1-2-3", "-1-5", "1--2", "99999999999-1",
            "1-99999999999999999999", "1-2@", "1-2@a b", "1-2@a@b", "@e", "1-2@abcdefghijklmnopqrstuvw" })
    void refusesMalformedText(String text) {
        assertThatThrownBy(() -> Cursor.parse(text))
                .isInstanceOf(Cursor.MalformedCursorException.class)
                .hasMessageStartingWith("cursor ");
    }
}
