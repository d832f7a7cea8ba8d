package dev.herald.gateway.delivery;

import java.util.function.BooleanSupplier;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;

/**
 * Which consumer errors end the gateway's consumption, and which it waits out. Fatal are those
 * that no retry can mend: credentials or permissions refused, a group id, session timeout (outside
 * the broker's group.min/max.session.timeout.ms) or protocol the cluster will not accept. Everything else (a broker away, a timeout, a rebalance callback that could not
 * read offsets, an unexpected error in our own code) is retried with back-off while the sessions of
 * the partitions already served stay open.
 */
public final class KafkaErrors {

    private KafkaErrors() {
    }

    public static boolean isFatal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
                    || cause instanceof InvalidGroupIdException || cause instanceof InvalidSessionTimeoutException
                    || cause instanceof UnsupportedVersionException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * Runs {@code step} while {@code running} says so. An error is logged and retried after a
     * back-off; a fatal one is thrown. A wake-up ends the current step (the caller's stop).
     */
    public static void retrying(BooleanSupplier running, Runnable step, Logger log, String what) {
        int failures = 0;
        while (running.getAsBoolean()) {
            try {
                step.run();
                failures = 0;
            }
            catch (WakeupException ex) {
                // stop() asked the loop to look at running again
            }
            catch (RuntimeException ex) {
                if (isFatal(ex)) {
                    throw ex;
                }
                failures++;
                long wait = backoffMillis(failures);
                log.warn("{} failed ({}); retrying in {} ms", what, ex.toString(), wait);
                try {
                    Thread.sleep(wait);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The wait before retry {@code attempt} (1, 2, ...): doubling from 100 ms, at most 5 s. */
    public static long backoffMillis(int attempt) {
        return Math.min(5_000, 100L << Math.min(6, Math.max(0, attempt - 1)));
    }
}
