package io.github.pyflinksqs.table;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metadata a table may write ({@code col TYPE METADATA FROM 'key'}): what the DataStream sink's
 * SqsMessage sets besides its body. A NULL value means "not set" for that row.
 */
enum WritableMetadata {
    /** String attributes, name -> value (at most 10; the rules of pyflink_sqs/message_rules.py). */
    MESSAGE_ATTRIBUTES("message-attributes", DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING())),
    /** The row's group: FIFO queues, or fair queues on standard ones; wins over the options. */
    MESSAGE_GROUP_ID("message-group-id", DataTypes.STRING()),
    /** FIFO only; a NULL gets the id sink.fifo.deduplication computes. */
    MESSAGE_DEDUPLICATION_ID("message-deduplication-id", DataTypes.STRING()),
    /** Standard queues only, 0..900. */
    DELAY_SECONDS("delay-seconds", DataTypes.INT()),
    /** The row's own queue: of the sink's kind, in its region (its endpoint, credentials). */
    QUEUE_URL("queue-url", DataTypes.STRING());

    final String key;
    final DataType dataType;

    WritableMetadata(String key, DataType dataType) {
        this.key = key;
        this.dataType = dataType.nullable();
    }

    static Map<String, DataType> all() {
        Map<String, DataType> all = new LinkedHashMap<>();
        for (WritableMetadata metadata : values()) {
            all.put(metadata.key, metadata.dataType);
        }
        return all;
    }

    /** Null for a key that is not ours. */
    static WritableMetadata ofKey(String key) {
        for (WritableMetadata metadata : values()) {
            if (metadata.key.equals(key)) {
                return metadata;
            }
        }
        return null;
    }
}
