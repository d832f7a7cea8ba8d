package dev.herald.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.herald.gateway.recovery.HistoryEntry;
import dev.herald.schema.ArchiveScope;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/** Which frame each kind of event becomes: read stays a {@code read} frame, the item states (issue 17) a {@code state} frame. */
class EntryFramesTests {

    private static final Instant AT = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void readEventsAreReadFramesAndItemStatesAreStateFrames() {
        assertThat(entry(Envelope.readAll("ra", "alice", AT, "s")).type()).isEqualTo("read");
        assertThat(frame(Envelope.readAll("ra", "alice", AT, "s"))).isInstanceOf(ServerFrame.Read.class);

        HistoryEntry seen = entry(Envelope.seen("s1", "alice", "system", List.of("m-1"), AT, "s"));
        assertThat(seen.type()).isEqualTo("state");
        assertThat(Frames.decodeServer(seen.frame())).isEqualTo(
                new ServerFrame.State(new Cursor(4, 17, "e1"), "s1", "seen", List.of("m-1"), false, null, "system"));
        assertThat(frame(Envelope.archiveAll("aa", "alice", ArchiveScope.READ, AT, "s")))
                .isEqualTo(new ServerFrame.State(new Cursor(4, 17, "e1"), "aa", "archived", List.of(), true, "read", null));
        assertThat(((ServerFrame.State) frame(Envelope.unarchive("u", "alice", null, List.of("e"), AT, "s"))).state())
                .isEqualTo("unarchived");
        assertThat(((ServerFrame.State) frame(Envelope.seenAll("sa", "alice", AT, "s"))).all()).isTrue();
    }

    private static ServerFrame frame(Envelope event) {
        return Frames.decodeServer(entry(event).frame());
    }

    private static HistoryEntry entry(Envelope event) {
        return PartitionConsumer.entryOf(new ConsumerRecord<>("herald.user-events", 4, 17, event.userId(),
                EnvelopeCodec.encode(event)), "e1");
    }
}
