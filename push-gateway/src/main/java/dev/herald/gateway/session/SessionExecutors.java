package dev.herald.gateway.session;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.DefaultThreadFactory;

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
        ThreadPoolExecutor auth = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("herald-gateway-auth", true));
        auth.allowCoreThreadTimeOut(true);
        this.work = auth;
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                new DefaultThreadFactory("herald-gateway-timer", true));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timer = scheduler;
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        work.shutdownNow();
    }
}
