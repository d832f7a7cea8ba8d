package dev.herald.producer.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.herald.producer.system.ProducerProperties;
import dev.herald.support.ApiException;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Events per second per API key, as a token bucket per key (per producer-api instance): a key may
 * burst up to {@code burst} events, then send {@code eventsPerSecond} on average. Beyond that the
 * request gets 429 with the seconds until it would fit, and nothing of it is sent. A request that Kafka
 * did not accept (503) gives its events back, so that an outage does not turn into 429s afterwards.
 */
@Component
class RateLimits {

    private final double eventsPerSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Autowired
    RateLimits(ProducerProperties properties) {
        this(properties.rateLimit().eventsPerSecond(), properties.rateLimit().burst(), System::nanoTime);
    }

    /** With its own clock, for tests. */
    RateLimits(double eventsPerSecond, double burst, LongSupplier nanoTime) {
        this.eventsPerSecond = eventsPerSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes {@code events} from the key's bucket, or throws a 429 {@link ApiException}. */
    void acquire(String key, int events) {
        if (eventsPerSecond <= 0) {
            return; // unlimited
        }
        if (events > burst) {
            throw ApiException.badRequest("notifications", "one request may make at most " + (long) burst
                    + " events under this key's rate limit, not " + events);
        }
        double wait = buckets.computeIfAbsent(key, k -> new Bucket(burst, nanoTime.getAsLong())).take(events);
        if (wait > 0) {
            throw ApiException.tooManyRequests("the API key '" + key + "' may send " + (long) eventsPerSecond
                    + " events per second (bursts of " + (long) burst + "); retry later",
                    Duration.ofSeconds((long) Math.ceil(wait)));
        }
    }

    /** Returns {@code events} taken by {@link #acquire} for a request that Kafka did not accept. */
    void giveBack(String key, int events) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            bucket.giveBack(events);
        }
    }

    private final class Bucket {

        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        /** Seconds until {@code events} would fit; 0 when they were taken. */
        synchronized double take(int events) {
            refill();
            if (tokens >= events) {
                tokens -= events;
                return 0;
            }
            return (events - tokens) / eventsPerSecond;
        }

        synchronized void giveBack(int events) {
            refill();
            tokens = Math.min(burst, tokens + events);
        }

        private void refill() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * eventsPerSecond);
            refilledAt = now;
        }
    }
}
