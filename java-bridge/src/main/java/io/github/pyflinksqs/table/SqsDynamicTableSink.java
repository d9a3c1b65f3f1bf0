package io.github.pyflinksqs.table;

import io.github.pyflinksqs.config.QueueUrls;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

import java.util.Map;
import java.util.Properties;

/** An insert-only table sink: each row, encoded by the table's format, is one SQS message. */
public class SqsDynamicTableSink implements DynamicTableSink {
    private final EncodingFormat<SerializationSchema<RowData>> format;
    private final DataType physicalDataType;
    private final String queueUrl;
    private final Properties clientProperties;
    private final Map<String, String> sinkOptions;
    private final MessageGroup group;  // null: messages have no group
    private final Integer parallelism;  // null: the planner's choice

    SqsDynamicTableSink(
            EncodingFormat<SerializationSchema<RowData>> format,
            DataType physicalDataType,
            String queueUrl,
            Properties clientProperties,
            Map<String, String> sinkOptions,
            MessageGroup group,
            Integer parallelism) {
        this.format = format;
        this.physicalDataType = physicalDataType;
        this.queueUrl = queueUrl;
        this.clientProperties = clientProperties;
        this.sinkOptions = sinkOptions;
        this.group = group;
        this.parallelism = parallelism;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        // A message cannot be updated or retracted once sent.
        return ChangelogMode.insertOnly();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        SerializationSchema<RowData> schema =
                format.createRuntimeEncoder(context, physicalDataType);
        if (group != null) {
            schema = group.schema(schema, QueueUrls.isFifo(queueUrl));
        }
        return SinkV2Provider.of(
                SqsDynamicTableFactory.build(
                        queueUrl, clientProperties, sinkOptions, schema, group != null),
                parallelism);
    }

    @Override
    public DynamicTableSink copy() {
        return new SqsDynamicTableSink(
                format, physicalDataType, queueUrl, clientProperties, sinkOptions, group,
                parallelism);
    }

    @Override
    public String asSummaryString() {
        return "SQS(" + queueUrl + ")";
    }
}
