package dev.herald.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

import dev.herald.gateway.delivery.OutboundFrame;

class OutboxTests {

    /** Runs drain tasks only when told to, standing in for a sender thread that is busy. */
    private static final class ManualExecutor implements Executor {

        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    private static final class RecordingSink implements Outbox.Sink {

        final List<Object> written = new ArrayList<>();
        final List<Exception> failures = new ArrayList<>();
        boolean broken;

        @Override
        public void write(Object item) throws IOException {
            if (broken) {
                throw new IOException("broken pipe");
            }
            written.add(item instanceof OutboundFrame frame ? frame.text() : item);
        }

        @Override
        public void failed(Exception ex, long tookNanos) {
            failures.add(ex);
        }
    }

    private static OutboundFrame frame(String text) {
        return OutboundFrame.control("test", text);
    }

    private final ManualExecutor senders = new ManualExecutor();
    private final RecordingSink sink = new RecordingSink();

    @Test
    void framesAreWrittenInTheOrderTheyWereQueued() {
        Outbox outbox = new Outbox(10_000, senders, sink);
        for (int i = 0; i < 200; i++) {
            assertThat(outbox.offer(frame("frame-" + i), true)).isTrue();
        }

        senders.runAll();

        assertThat(sink.written).hasSize(200).first().isEqualTo("frame-0");
        assertThat(sink.written).last().isEqualTo("frame-199");
    }

    @Test
    void liveFrameThatWouldOverflowTheBoundIsRefused() {
        Outbox outbox = new Outbox(10, senders, sink);

        assertThat(outbox.offer(frame("12345"), true)).isTrue();
        assertThat(outbox.offer(frame("12345"), true)).isTrue();
        assertThat(outbox.offer(frame("1"), true)).isFalse();
    }

    @Test
    void framesThatOpenASessionAreNotBoundedButCountTowardsTheBound() {
        Outbox outbox = new Outbox(10, senders, sink);

        assertThat(outbox.offer(frame("a replay longer than the bound"), false)).isTrue();
        assertThat(outbox.offer(frame("x"), true)).isFalse();
        senders.runAll();
        assertThat(outbox.offer(frame("x"), true)).isTrue();
    }

    @Test
    void finishDropsQueuedFramesAndWritesTheCloseLast() {
        Outbox outbox = new Outbox(1_000, senders, sink);
        outbox.offer(frame("one"), true);
        outbox.offer(frame("two"), true);

        outbox.finish("close", true);
        outbox.offer(frame("three"), true);
        senders.runAll();

        assertThat(sink.written).containsExactly("close");
    }

    @Test
    void finishCanKeepQueuedFramesAheadOfTheClose() {
        Outbox outbox = new Outbox(1_000, senders, sink);
        outbox.offer(frame("resync"), false);

        outbox.finish("close", false);
        senders.runAll();

        assertThat(sink.written).containsExactly("resync", "close");
    }

    @Test
    void failedWriteIsReportedAndNothingMoreIsWritten() {
        Outbox outbox = new Outbox(1_000, senders, sink);
        sink.broken = true;
        outbox.offer(frame("one"), true);
        outbox.offer(frame("two"), true);

        senders.runAll();
        sink.broken = false;
        outbox.offer(frame("three"), true);
        senders.runAll();

        assertThat(sink.failures).hasSize(1);
        assertThat(sink.written).isEmpty();
    }
}
