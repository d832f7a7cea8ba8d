package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Once gave the notifications stored before V10 their type-prefix keys ({@code type:order.*}) and
 * counters. Since V11 prefixes are ranges of the exact type keys (see {@code FilterKeys}) and have
 * no rows of their own, so this does nothing; it stays so that databases that ran it still validate.
 */
public class V10_1__filter_key_prefixes extends BaseJavaMigration {

    @Override
    public void migrate(Context context) {
        // Nothing: V11 removes the prefix rows an earlier version of this migration wrote.
    }
}
