package dev.herald.store.ingest;

import dev.herald.schema.Cursor;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far the store has applied each partition of {@code herald.channel-events}: the committed
 * {@code channel_positions} table (a {@link PositionsTable}), which {@link ChannelWriter} moves in the transaction that stores
 * the messages. Every message of a partition at or below its position is committed.
 */
@Component
public class ChannelPositions {

    private final PositionsTable table;
    private final ChannelTopic topic;

    ChannelPositions(NamedParameterJdbcTemplate named, ChannelTopic topic) {
        this.table = new PositionsTable(ChannelWriter.POSITIONS, named);
        this.topic = topic;
    }

    /** The committed position of {@code partition}, with the topic's epoch; offset -1 when nothing was applied there yet. */
    public Cursor current(int partition) {
        return topic.cursor(partition, table.read(partition));
    }
}
