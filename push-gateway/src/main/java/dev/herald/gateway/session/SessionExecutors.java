package dev.herald.gateway.session;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The threads of the session side besides the event loops: {@code work} checks auth frames (which
 * may have to read the group from Kafka, so not on an event loop), and a timer runs the session
 * sweep and the waits for a partition's assignment. Writes need no thread of their own: they go
 * to the connections' event loops.
 */
@Component
class SessionExecutors implements DisposableBean {

    final ExecutorService work;
    final ScheduledExecutorService timer;

    SessionExecutors() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.work = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named("herald-gateway-auth-"));
        ((ThreadPoolExecutor) work).allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, named("herald-gateway-timer-"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timer = scheduler;
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        work.shutdownNow();
    }
}
