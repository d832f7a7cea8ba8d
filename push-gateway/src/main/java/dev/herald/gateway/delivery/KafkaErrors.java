package dev.herald.gateway.delivery;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Which consumer errors end the gateway's consumption, and which it waits out. Fatal are those
 * that no retry can mend: credentials or permissions refused, a group id or protocol the cluster
 * will not accept. Everything else (a broker away, a timeout, a rebalance callback that could not
 * read offsets, an unexpected error in our own code) is retried with back-off while the sessions of
 * the partitions already served stay open.
 */
public final class KafkaErrors {

    private KafkaErrors() {
    }

    public static boolean isFatal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
                    || cause instanceof InvalidGroupIdException || cause instanceof UnsupportedVersionException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** The wait before retry {@code attempt} (1, 2, ...): doubling from 100 ms, at most 5 s. */
    public static long backoffMillis(int attempt) {
        return Math.min(5_000, 100L << Math.min(6, Math.max(0, attempt - 1)));
    }
}
