package dev.herald.store.ingest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.FieldError;
import dev.herald.schema.Preferences;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * V9's {@code user_preferences}, as {@link InboxWriter} uses it: the sets of a batch's users, read
 * once per batch and then kept current by the batch's own {@code preferences} events, in stream
 * order, so each notification is judged by the set in force where it sits in the stream.
 */
final class UserPreferencesTable {

    private final NamedParameterJdbcTemplate named;

    UserPreferencesTable(NamedParameterJdbcTemplate named) {
        this.named = named;
    }

    /** The sets of a batch: users without a row have none (nothing muted). */
    final class InBatch {

        private final Map<String, Preferences> sets;

        private InBatch(Map<String, Preferences> sets) {
            this.sets = sets;
        }

        /** Whether this notification of the user arrives muted: its type muted now and it is not critical. */
        boolean suppresses(String userId, String type, boolean critical) {
            Preferences set = sets.get(userId);
            return set != null && set.suppresses(type, critical);
        }

        /** The user's set from {@code offset} on: stored, and used for the rest of the batch. */
        void replace(String userId, Preferences preferences, long offset, long atMillis) {
            sets.put(userId, preferences);
            named.update("""
                    INSERT INTO user_preferences (user_id, rules, updated_offset, updated_at_ms)
                    VALUES (:user, :rules, :offset, :at)
                    ON DUPLICATE KEY UPDATE rules = VALUES(rules), updated_offset = VALUES(updated_offset),
                        updated_at_ms = VALUES(updated_at_ms)""",
                    Map.of("user", userId, "rules", preferences.toJson().toString(), "offset", offset, "at", atMillis));
        }
    }

    /** One query for the sets of {@code users} (those with notifications in the batch). */
    InBatch of(Collection<String> users) {
        Map<String, Preferences> sets = new HashMap<>();
        if (!users.isEmpty()) {
            named.query("SELECT user_id, rules FROM user_preferences WHERE user_id IN (:users)", Map.of("users", users),
                    rs -> {
                        sets.put(rs.getString(1), parse(rs.getString(2)));
                    });
        }
        return new InBatch(sets);
    }

    /** A stored set; it was valid when written, so a failure here is a damaged row, not bad input. */
    static Preferences parse(String rules) {
        List<FieldError> errors = new ArrayList<>();
        Preferences preferences = Preferences.fromJson(EnvelopeCodec.mapper().readTree(rules), "", errors);
        if (preferences == null) {
            throw new IllegalStateException("user_preferences holds an invalid set: " + errors);
        }
        return preferences;
    }
}
