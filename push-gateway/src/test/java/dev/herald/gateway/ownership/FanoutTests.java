package dev.herald.gateway.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.junit.jupiter.api.Test;

class FanoutTests {

    /** A connection thread that only queues what it is given, until {@link #runAll}. */
    private static final class QueuedThread implements Executor {

        final Queue<Runnable> tasks = new ArrayDeque<>();
        int given;

        @Override
        public void execute(Runnable task) {
            given++;
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    private static final class Recording implements Subscriber {

        final Executor writer;
        final List<String> got = new ArrayList<>();

        Recording(Executor writer) {
            this.writer = writer;
        }

        @Override
        public String key() {
            return "ann";
        }

        @Override
        public void send(OutboundFrame frame) {
            got.add(frame.type());
        }

        @Override
        public Executor writer() {
            return writer;
        }

        @Override
        public void open(Opening opening) {
        }

        @Override
        public CompletableFuture<Void> close(int code, String reason) {
            return CompletableFuture.completedFuture(null);
        }
    }

    @Test
    void manySubscribersCostOneTaskPerConnectionThreadAndKeepEachOnesOrder() {
        QueuedThread one = new QueuedThread();
        QueuedThread two = new QueuedThread();
        List<Recording> subscribers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            subscribers.add(new Recording(i % 2 == 0 ? one : two));
        }
        Recording direct = new Recording(null);
        List<Subscriber> all = new ArrayList<>(subscribers);
        all.add(direct);

        Fanout.send(all, OutboundFrame.live("first", "{}", 0));
        Fanout.send(all, OutboundFrame.live("second", "{}", 0));

        assertThat(one.given).isEqualTo(2);
        assertThat(two.given).isEqualTo(2);
        assertThat(direct.got).as("no writer: sent at once").containsExactly("first", "second");
        assertThat(subscribers).allSatisfy(s -> assertThat(s.got).isEmpty());
        one.runAll();
        two.runAll();
        assertThat(subscribers).allSatisfy(s -> assertThat(s.got).containsExactly("first", "second"));
    }

    @Test
    void aFewSubscribersAreSentToDirectly() {
        QueuedThread thread = new QueuedThread();
        List<Recording> subscribers = List.of(new Recording(thread), new Recording(thread), new Recording(thread));

        Fanout.send(List.copyOf(subscribers), OutboundFrame.live("only", "{}", 0));

        assertThat(Fanout.GROUP_FROM).isGreaterThan(subscribers.size());
        assertThat(thread.given).isZero();
        assertThat(subscribers).allSatisfy(s -> assertThat(s.got).containsExactly("only"));
    }

    @Test
    void aThreadThatIsShuttingDownTakesNothingAndTheOthersStillGetTheFrame() {
        Executor gone = task -> {
            throw new RejectedExecutionException("shut down");
        };
        QueuedThread alive = new QueuedThread();
        List<Recording> subscribers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            subscribers.add(new Recording(i < 4 ? gone : alive));
        }

        Fanout.send(List.copyOf(subscribers), OutboundFrame.live("frame", "{}", 0));
        alive.runAll();

        assertThat(subscribers.subList(0, 4)).allSatisfy(s -> assertThat(s.got).isEmpty());
        assertThat(subscribers.subList(4, 8)).allSatisfy(s -> assertThat(s.got).containsExactly("frame"));
    }
}
