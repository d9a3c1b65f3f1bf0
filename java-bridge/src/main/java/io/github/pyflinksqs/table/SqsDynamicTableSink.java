package io.github.pyflinksqs.table;

import io.github.pyflinksqs.config.QueueUrls;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * An insert-only table sink: each row is one SQS message, its physical columns encoded by the
 * table's format as the body, its metadata columns ({@link WritableMetadata}) setting the rest.
 */
public class SqsDynamicTableSink implements DynamicTableSink, SupportsWritingMetadata {
    private final EncodingFormat<SerializationSchema<RowData>> format;
    private final DataType physicalDataType;
    private final String queueUrl;
    private final Properties clientProperties;
    private final Map<String, String> sinkOptions;
    private final MessageGroup group; // null: no group from the options
    private final Integer parallelism; // null: the planner's choice
    private final Map<WritableMetadata, String> metadataColumns; // for messages
    private List<String> metadataKeys = Collections.emptyList();

    SqsDynamicTableSink(
            EncodingFormat<SerializationSchema<RowData>> format,
            DataType physicalDataType,
            String queueUrl,
            Properties clientProperties,
            Map<String, String> sinkOptions,
            MessageGroup group,
            Integer parallelism,
            Map<WritableMetadata, String> metadataColumns) {
        this.format = format;
        this.physicalDataType = physicalDataType;
        this.queueUrl = queueUrl;
        this.clientProperties = clientProperties;
        this.sinkOptions = sinkOptions;
        this.group = group;
        this.parallelism = parallelism;
        this.metadataColumns = metadataColumns;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        // A message cannot be updated or retracted once sent.
        return ChangelogMode.insertOnly();
    }

    @Override
    public Map<String, DataType> listWritableMetadata() {
        return WritableMetadata.all();
    }

    @Override
    public void applyWritableMetadata(List<String> metadataKeys, DataType consumedDataType) {
        this.metadataKeys = new ArrayList<>(metadataKeys);
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        RowMessageDescriber describer =
                new RowMessageDescriber(
                        format.createRuntimeEncoder(context, physicalDataType),
                        physicalDataType.getChildren().size(),
                        group,
                        QueueUrls.isFifo(queueUrl),
                        metadataKeys,
                        metadataColumns,
                        clientProperties.getProperty("aws.region"),
                        queueUrl);
        return SinkV2Provider.of(
                SqsDynamicTableFactory.build(queueUrl, clientProperties, sinkOptions, describer),
                parallelism);
    }

    @Override
    public DynamicTableSink copy() {
        SqsDynamicTableSink copy =
                new SqsDynamicTableSink(
                        format,
                        physicalDataType,
                        queueUrl,
                        clientProperties,
                        sinkOptions,
                        group,
                        parallelism,
                        metadataColumns);
        copy.metadataKeys = metadataKeys;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "SQS(" + queueUrl + ")";
    }
}
