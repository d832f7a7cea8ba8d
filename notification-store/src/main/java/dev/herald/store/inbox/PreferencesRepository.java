package dev.herald.store.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.FieldError;
import dev.herald.schema.Preferences;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of V9's {@code user_preferences}; written only from the stream (InboxWriter). */
@Repository
class PreferencesRepository {

    private final JdbcClient jdbc;

    PreferencesRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The user's set and the offset of the event that set it; empty when the user never set one. */
    Optional<Stored> of(String userId) {
        return jdbc.sql("SELECT rules, updated_offset, updated_at_ms FROM user_preferences WHERE user_id = ?")
                .param(userId)
                .query((rs, row) -> new Stored(parse(rs.getString(1)), rs.getLong(2), rs.getLong(3)))
                .optional();
    }

    /** The set that applies to the user now: no rules when none was set. */
    Preferences current(String userId) {
        return of(userId).map(Stored::preferences).orElse(Preferences.NONE);
    }

    private static Preferences parse(String rules) {
        List<FieldError> errors = new ArrayList<>();
        Preferences preferences = Preferences.fromJson(EnvelopeCodec.mapper().readTree(rules), "", errors);
        if (preferences == null) {
            throw new IllegalStateException("user_preferences holds an invalid set: " + errors);
        }
        return preferences;
    }

    record Stored(Preferences preferences, long offset, long updatedAtMillis) {
    }
}
