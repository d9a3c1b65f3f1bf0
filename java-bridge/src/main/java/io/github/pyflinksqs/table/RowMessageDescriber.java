package io.github.pyflinksqs.table;

import io.github.pyflinksqs.sink.DescribedMessage;
import io.github.pyflinksqs.sink.MessageAttribute;
import io.github.pyflinksqs.sink.MessageDescriber;
import io.github.pyflinksqs.sink.MessageRules;
import io.github.pyflinksqs.sink.SqsMessageEntry;
import io.github.pyflinksqs.sink.StrictUtf8;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.utils.ProjectedRowData;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's row as a message, without a detour through JSON: the physical columns encoded by the
 * table's format are the body; the group id comes from a metadata column when the row sets one,
 * else from sink.message-group-id(.field); the deduplication id, delay and attributes from their
 * metadata columns. The planner appends metadata columns after the physical ones, in the order it
 * passed their keys to applyWritableMetadata.
 */
final class RowMessageDescriber implements MessageDescriber<RowData> {
    private static final long serialVersionUID = 1L;

    private final SerializationSchema<RowData> format;
    private final int physicalArity;
    private final MessageGroup group; // null: none from the options
    private final boolean fifo;
    private final EnumMap<WritableMetadata, Integer> positions =
            new EnumMap<>(WritableMetadata.class);
    private final Map<WritableMetadata, String> columns; // for messages
    private final String region; // the sink's: a row's own queue must be in it
    private final String queueUrl; // the sink's
    private transient ProjectedRowData physical;
    private transient Map<String, String> routes; // queue URLs rows gave, checked once

    RowMessageDescriber(
            SerializationSchema<RowData> format,
            int physicalArity,
            MessageGroup group,
            boolean fifo,
            List<String> metadataKeys,
            Map<WritableMetadata, String> columns,
            String region,
            String queueUrl) {
        this.format = format;
        this.queueUrl = queueUrl.trim();
        this.physicalArity = physicalArity;
        this.group = group;
        this.fifo = fifo;
        for (int i = 0; i < metadataKeys.size(); i++) {
            positions.put(WritableMetadata.ofKey(metadataKeys.get(i)), physicalArity + i);
        }
        this.columns = columns;
        this.region = region;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context) throws Exception {
        format.open(context);
        routes = new HashMap<>();
        if (!positions.isEmpty()) {
            int[] fields = new int[physicalArity];
            for (int i = 0; i < physicalArity; i++) {
                fields[i] = i;
            }
            physical = ProjectedRowData.from(fields);
        }
    }

    @Override
    public DescribedMessage describe(RowData row, long position) {
        byte[] body = format.serialize(physical == null ? row : physical.replaceRow(row));
        String record = "record " + position;
        String groupId = string(row, WritableMetadata.MESSAGE_GROUP_ID);
        if (groupId != null) {
            check(
                    MessageRules.idProblem(
                            groupId, "group_id", where(record, WritableMetadata.MESSAGE_GROUP_ID)));
        } else if (group != null) {
            groupId = group.idOf(row, record);
        }
        if (fifo && groupId == null) {
            throw new IllegalArgumentException(
                    where(record, WritableMetadata.MESSAGE_GROUP_ID)
                            + ": a FIFO queue needs a "
                            + "message group id, and the row's is NULL");
        }
        String deduplicationId = string(row, WritableMetadata.MESSAGE_DEDUPLICATION_ID);
        if (deduplicationId != null) {
            check(
                    MessageRules.idProblem(
                            deduplicationId,
                            "deduplication_id",
                            where(record, WritableMetadata.MESSAGE_DEDUPLICATION_ID)));
        }
        int delaySeconds = SqsMessageEntry.NO_DELAY;
        Integer delayPosition = positions.get(WritableMetadata.DELAY_SECONDS);
        if (delayPosition != null && !row.isNullAt(delayPosition)) {
            delaySeconds = row.getInt(delayPosition);
            check(
                    MessageRules.delayProblem(
                            delaySeconds, where(record, WritableMetadata.DELAY_SECONDS)));
        }
        return new DescribedMessage(
                StrictUtf8.decodeOrNull(body),
                body,
                groupId,
                deduplicationId,
                delaySeconds,
                attributes(row, record),
                queueUrl(row, record));
    }

    private String queueUrl(RowData row, String record) {
        String url = string(row, WritableMetadata.QUEUE_URL);
        if (url == null) {
            return null;
        }
        String checked = routes.get(url);
        if (checked == null) {
            check(
                    MessageRules.queueProblem(
                            url, region, fifo, where(record, WritableMetadata.QUEUE_URL)));
            checked = url.trim();
            if (routes.size() < 10_000) { // bounded: ever new URLs are checked anew
                routes.put(url, checked);
            }
        }
        // The sink's own queue is routed as no queue: FIFO order is kept per (queue, group), and
        // told apart, one group's rows with and without the URL would be two groups that could
        // overtake each other in the same queue.
        return checked.equals(queueUrl) ? null : checked;
    }

    private Map<String, MessageAttribute> attributes(RowData row, String record) {
        Integer position = positions.get(WritableMetadata.MESSAGE_ATTRIBUTES);
        if (position == null || row.isNullAt(position)) {
            return null;
        }
        MapData map = row.getMap(position);
        ArrayData names = map.keyArray();
        ArrayData values = map.valueArray();
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < map.size(); i++) {
            given.put(
                    names.isNullAt(i) ? null : names.getString(i).toString(),
                    values.isNullAt(i) ? null : values.getString(i).toString());
        }
        check(
                MessageRules.stringAttributesProblem(
                        given, where(record, WritableMetadata.MESSAGE_ATTRIBUTES)));
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        given.forEach((name, value) -> attributes.put(name, MessageAttribute.string(value)));
        return attributes;
    }

    private String string(RowData row, WritableMetadata metadata) {
        Integer position = positions.get(metadata);
        if (position == null || row.isNullAt(position)) {
            return null;
        }
        StringData value = row.getString(position);
        return value.toString();
    }

    private String where(String record, WritableMetadata metadata) {
        String column = columns.get(metadata);
        return column == null
                ? record
                : record + " (column '" + column + "', METADATA FROM '" + metadata.key + "')";
    }

    private static void check(String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }
}
