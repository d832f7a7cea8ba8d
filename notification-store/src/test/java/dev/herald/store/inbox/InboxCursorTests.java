package dev.herald.store.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.herald.schema.Cursor;

class InboxCursorTests {

    @Test
    void aCursorWithoutChannelsIsThePlainUserCursor() {
        InboxCursor cursor = InboxCursor.parse("7-10452@Xk3fQ9aB");
        assertThat(cursor.user()).isEqualTo(Cursor.parse("7-10452@Xk3fQ9aB"));
        assertThat(cursor.channels()).isEmpty();
        assertThat(cursor).hasToString("7-10452@Xk3fQ9aB");
    }

    @Test
    void roundTripsChannelPositionsInNameOrder() {
        InboxCursor cursor = new InboxCursor(new Cursor(3, 12, "ep"), Map.of("system", 88L, "alerts:eu", -1L));
        assertThat(cursor).hasToString("3-12@ep~alerts:eu~-1~system~88");
        assertThat(InboxCursor.parse(cursor.toString())).isEqualTo(cursor);
    }

    @Test
    void refusesWhatNoPageGave() {
        for (String bad : new String[] { "x", "3-12~system", "3-12~System~4", "3-12~system~four", "3-12~system~-2",
                "3-12~system~1~system~2", "3-12~~1" }) {
            assertThatThrownBy(() -> InboxCursor.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
