package dev.herald.gateway.session;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import dev.herald.gateway.system.GatewayProperties;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The threads of the session side: senders (write queued frames and close frames; a stuck socket
 * holds one for at most the send timeout), closers (release sockets whose writes failed) and a
 * timer (auth timeouts, pings, waits for a partition's assignment).
 */
@Component
class SessionExecutors implements DisposableBean {

    final ExecutorService senders;
    final ExecutorService closers;
    final ScheduledExecutorService timer;

    SessionExecutors(GatewayProperties properties) {
        this.senders = Executors.newFixedThreadPool(properties.senderThreads(), named("herald-gateway-send-"));
        this.closers = Executors.newFixedThreadPool(4, named("herald-gateway-close-"));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, named("herald-gateway-timer-"));
        // Per-session tasks (token expiry) are cancelled when a session closes: drop them at once.
        scheduler.setRemoveOnCancelPolicy(true);
        this.timer = scheduler;
    }

    private static ThreadFactory named(String prefix) {
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
        senders.shutdownNow();
        closers.shutdown();
    }
}
