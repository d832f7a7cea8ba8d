package dev.herald.schema.frames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class SeenFrameTests {

    @Test
    void seenFrameSurvivesARoundTrip() {
        ClientFrame.Seen seen = new ClientFrame.Seen(List.of("e-1", "e-2"));

        assertThat(Frames.encode(seen)).isEqualTo("{\"type\":\"seen\",\"eventIds\":[\"e-1\",\"e-2\"]}");
        assertThat(Frames.decodeClient(Frames.encode(seen))).isEqualTo(seen);
    }

    @Test
    void seenFrameNeedsOneToAHundredValidEventIds() {
        assertThatThrownBy(() -> Frames.decodeClient("{\"type\":\"seen\"}")).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("'eventIds' must be a non-empty array");
        assertThatThrownBy(() -> Frames.decodeClient("{\"type\":\"seen\",\"eventIds\":[]}"))
                .hasMessageContaining("non-empty array");
        assertThatThrownBy(() -> Frames.decodeClient("{\"type\":\"seen\",\"eventIds\":\"e-1\"}"))
                .hasMessageContaining("non-empty array");
        assertThatThrownBy(() -> Frames.decodeClient("{\"type\":\"seen\",\"eventIds\":[\"e-1\",7]}"))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("'eventIds[1]'");
        assertThatThrownBy(() -> Frames.decodeClient("{\"type\":\"seen\",\"eventIds\":[\"-no\"]}"))
                .hasMessageContaining("'eventIds[0]'");
        String ids = IntStream.range(0, ClientFrame.Seen.MAX_EVENT_IDS + 1).mapToObj(i -> "\"e-" + i + "\"")
                .collect(Collectors.joining(","));
        assertThatThrownBy(() -> Frames.decodeClient("{\"type\":\"seen\",\"eventIds\":[" + ids + "]}"))
                .hasMessageContaining("at most 100 eventIds");
    }
}
