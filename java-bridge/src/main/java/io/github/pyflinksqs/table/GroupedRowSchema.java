package io.github.pyflinksqs.table;

import io.github.pyflinksqs.sink.StrictUtf8;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * For tables with a message group: the row encoded by the table's format becomes the body of
 * an envelope (the one pyflink_sqs/message.py writes and SqsEnvelope reads) with its group id,
 * a constant or a column, and on FIFO queues the content deduplication id.
 */
final class GroupedRowSchema implements SerializationSchema<RowData> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SerializationSchema<RowData> format;
    private final String constantGroupId;      // or null
    private final RowData.FieldGetter groupColumn;  // or null
    private final String groupColumnName;
    private final boolean fifo;

    GroupedRowSchema(
            SerializationSchema<RowData> format,
            String constantGroupId,
            LogicalType columnType,
            int columnIndex,
            String columnName,
            boolean fifo) {
        this.format = format;
        this.constantGroupId = constantGroupId;
        this.groupColumn =
                columnType == null ? null : RowData.createFieldGetter(columnType, columnIndex);
        this.groupColumnName = columnName;
        this.fifo = fifo;
    }

    @Override
    public void open(InitializationContext context) throws Exception {
        format.open(context);
    }

    @Override
    public byte[] serialize(RowData row) {
        byte[] body = format.serialize(row);
        String groupId = constantGroupId;
        if (groupColumn != null) {
            Object value = groupColumn.getFieldOrNull(row);
            if (value == null) {
                throw new IllegalArgumentException(
                        "a row has no message group id: its column '" + groupColumnName
                                + "' (sink.message-group-id.field) is null");
            }
            groupId = value.toString();
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        String text = StrictUtf8.decodeOrNull(body);
        if (text != null) {
            envelope.put("b", text);
        } else {
            envelope.put("r", java.util.Base64.getEncoder().encodeToString(body));
        }
        envelope.put("g", groupId);
        // The writer gives FIFO messages their deduplication ids (fifo_deduplication).
        try {
            return MAPPER.writeValueAsBytes(envelope);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write a message envelope", e);
        }
    }
}
