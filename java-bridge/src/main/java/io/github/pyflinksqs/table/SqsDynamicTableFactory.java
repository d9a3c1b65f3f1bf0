package io.github.pyflinksqs.table;

import io.github.pyflinksqs.config.LargePayloadOffload;
import io.github.pyflinksqs.config.QueueUrls;
import io.github.pyflinksqs.config.SqsSinkOptions;
import io.github.pyflinksqs.sink.MessageDescriber;
import io.github.pyflinksqs.sink.SqsSink;
import io.github.pyflinksqs.sink.SqsSinkBuilder;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * {@code 'connector' = 'sqs'}: the same sink as the DataStream builder, its options under the Table
 * API keys the option table (pyflink_sqs/config.py) gives them, plus {@code queue-url}, {@code
 * format} and {@code aws.*} passed through as client properties, as in the upstream connector.
 */
public class SqsDynamicTableFactory implements DynamicTableSinkFactory {
    public static final String IDENTIFIER = "sqs";
    // How sink.large-payload.* values travel with the sink options until applyOffload.
    private static final String OFFLOAD = "large_payload.";
    public static final ConfigOption<String> QUEUE_URL =
            ConfigOptions.key("queue-url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("The SQS queue URL to send to.");
    private static final String AWS_PREFIX = "aws.";

    /** Option name of the builder -> its ConfigOption, from the generated option table. */
    private static final Map<String, ConfigOption<String>> SINK_OPTIONS = sinkOptions();

    /** set_large_payload_offload's arguments -> their ConfigOptions (sink.large-payload.*). */
    private static final Map<String, ConfigOption<String>> OFFLOAD_OPTIONS = offloadOptions();

    private static Map<String, ConfigOption<String>> offloadOptions() {
        Map<String, ConfigOption<String>> options = new LinkedHashMap<>();
        LargePayloadOffload.sqlKeys()
                .forEach(
                        (argument, key) ->
                                options.put(
                                        argument,
                                        ConfigOptions.key(key).stringType().noDefaultValue()));
        return options;
    }

    private static Map<String, ConfigOption<String>> sinkOptions() {
        Map<String, ConfigOption<String>> options = new LinkedHashMap<>();
        SqsSinkOptions.sqlKeys()
                .forEach(
                        (name, key) ->
                                options.put(
                                        name,
                                        ConfigOptions.key(key).stringType().noDefaultValue()));
        return options;
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        Set<ConfigOption<?>> required = new HashSet<>();
        required.add(QUEUE_URL);
        required.add(FactoryUtil.FORMAT);
        return required;
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> optional = new HashSet<>(SINK_OPTIONS.values());
        optional.addAll(OFFLOAD_OPTIONS.values());
        optional.add(FactoryUtil.SINK_PARALLELISM); // Flink's own key, as every connector's
        return optional;
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        EncodingFormat<SerializationSchema<RowData>> format =
                helper.discoverEncodingFormat(SerializationFormatFactory.class, FactoryUtil.FORMAT);
        // aws.* are client properties (region, credentials, endpoint, ...), checked by the sink.
        helper.validateExcept(AWS_PREFIX);
        ReadableConfig options = helper.getOptions();
        String queueUrl = options.get(QUEUE_URL);
        Properties clientProperties = new Properties();
        context.getCatalogTable()
                .getOptions()
                .forEach(
                        (key, value) -> {
                            if (key.startsWith(AWS_PREFIX)) {
                                clientProperties.setProperty(key, value);
                            }
                        });
        if (!clientProperties.containsKey("aws.region")) {
            clientProperties.setProperty("aws.region", regionOf(queueUrl));
        }
        Map<String, String> sinkOptions = new LinkedHashMap<>();
        SINK_OPTIONS.forEach(
                (name, option) ->
                        options.getOptional(option)
                                .ifPresent(value -> sinkOptions.put(name, value)));
        OFFLOAD_OPTIONS.forEach(
                (argument, option) ->
                        options.getOptional(option)
                                .ifPresent(value -> sinkOptions.put(OFFLOAD + argument, value)));
        MessageGroup group =
                MessageGroup.of(
                        sinkOptions.remove(MessageGroup.CONSTANT),
                        sinkOptions.remove(MessageGroup.FIELD),
                        context.getPhysicalRowDataType());
        boolean fifo = QueueUrls.isFifo(queueUrl);
        Map<WritableMetadata, String> metadataColumns =
                metadataColumns(context.getCatalogTable().getResolvedSchema(), queueUrl, fifo);
        if (group == null
                && fifo
                && !metadataColumns.containsKey(WritableMetadata.MESSAGE_GROUP_ID)) {
            throw new ValidationException(
                    "'queue-url' "
                            + queueUrl
                            + " is a FIFO queue, whose messages need a message "
                            + "group id: set '"
                            + SqsSinkOptions.sqlKeys().get(MessageGroup.CONSTANT)
                            + "' (one group) or '"
                            + SqsSinkOptions.sqlKeys().get(MessageGroup.FIELD)
                            + "' (a column), or declare a column METADATA FROM '"
                            + WritableMetadata.MESSAGE_GROUP_ID.key
                            + "'");
        }
        Integer parallelism = parallelism(options, queueUrl);
        // Built once now so a bad value fails while the statement is planned, naming its key.
        build(queueUrl, clientProperties, sinkOptions, MessageDescriber.bodies(row -> new byte[0]));
        return new SqsDynamicTableSink(
                format,
                context.getPhysicalRowDataType(),
                queueUrl,
                clientProperties,
                sinkOptions,
                group,
                parallelism,
                metadataColumns);
    }

    /**
     * The table's writable metadata columns by key, after the checks the queue decides (Flink
     * itself refuses unknown keys and types that do not fit, naming the column).
     */
    private static Map<WritableMetadata, String> metadataColumns(
            ResolvedSchema schema, String queueUrl, boolean fifo) {
        Map<WritableMetadata, String> columns = new EnumMap<>(WritableMetadata.class);
        for (Column column : schema.getColumns()) {
            if (!(column instanceof Column.MetadataColumn) || !column.isPersisted()) {
                continue;
            }
            Column.MetadataColumn metadata = (Column.MetadataColumn) column;
            WritableMetadata key =
                    WritableMetadata.ofKey(metadata.getMetadataKey().orElse(metadata.getName()));
            if (key == null) {
                continue;
            }
            String declared = "column '" + column.getName() + "' (METADATA FROM '" + key.key + "')";
            if (key == WritableMetadata.MESSAGE_DEDUPLICATION_ID && !fifo) {
                throw new ValidationException(
                        declared
                                + ": deduplication ids are for FIFO queues only, and 'queue-url' "
                                + queueUrl
                                + " is a standard queue");
            }
            if (key == WritableMetadata.DELAY_SECONDS && fifo) {
                throw new ValidationException(
                        declared
                                + ": a delay per message is not allowed on the FIFO queue "
                                + queueUrl
                                + " (SQS has only a queue-level delay there)");
            }
            columns.put(key, column.getName());
        }
        return columns;
    }

    /**
     * 'sink.parallelism', or null for the planner's choice. Refused on FIFO queues: a sink whose
     * parallelism differs from its input's gets its rows through a rebalance, which spreads one
     * group's rows over subtasks and so breaks the group's order.
     */
    private static Integer parallelism(ReadableConfig options, String queueUrl) {
        Integer parallelism = options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null);
        String key = "'" + FactoryUtil.SINK_PARALLELISM.key() + "'";
        if (parallelism != null && parallelism < 1) {
            throw new ValidationException(key + " must be at least 1, got " + parallelism);
        }
        if (parallelism != null && QueueUrls.isFifo(queueUrl)) {
            throw new ValidationException(
                    key
                            + " cannot be set for the FIFO queue "
                            + queueUrl
                            + ": rows would reach "
                            + "the sink through a rebalance, which breaks each message group's "
                            + "order; leave it unset so the sink runs with its input");
        }
        return parallelism;
    }

    static SqsSink<RowData> build(
            String queueUrl,
            Properties clientProperties,
            Map<String, String> sinkOptions,
            MessageDescriber<RowData> describer) {
        SqsSinkBuilder<RowData> builder =
                SqsSink.<RowData>builder()
                        .setSqsUrl(queueUrl)
                        .setSqsClientProperties(clientProperties)
                        .setMessageDescriber(describer);
        try {
            Map<String, String> offload = new LinkedHashMap<>();
            for (Map.Entry<String, String> option : sinkOptions.entrySet()) {
                if (option.getKey().startsWith(OFFLOAD)) {
                    offload.put(option.getKey().substring(OFFLOAD.length()), option.getValue());
                } else {
                    apply(builder, option.getKey(), option.getValue());
                }
            }
            applyOffload(builder, offload);
            return builder.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ValidationException(
                    "Invalid options for 'connector' = 'sqs': "
                            + withSqlKeys(String.valueOf(e.getMessage())),
                    e);
        }
    }

    private static void apply(SqsSinkBuilder<RowData> builder, String name, String value) {
        switch (name) {
            case SqsSinkOptions.FAIL_ON_ERROR:
                builder.setFailOnError(flag(name, value));
                break;
            case SqsSinkOptions.MAX_BATCH_SIZE:
                builder.setMaxBatchSize((int) number(name, value));
                break;
            case SqsSinkOptions.MAX_IN_FLIGHT_REQUESTS:
                builder.setMaxInFlightRequests((int) number(name, value));
                break;
            case SqsSinkOptions.MAX_BUFFERED_REQUESTS:
                builder.setMaxBufferedRequests((int) number(name, value));
                break;
            case SqsSinkOptions.MAX_BATCH_SIZE_IN_BYTES:
                builder.setMaxBatchSizeInBytes(number(name, value));
                break;
            case SqsSinkOptions.MAX_TIME_IN_BUFFER_MS:
                builder.setMaxTimeInBufferMS(number(name, value));
                break;
            case SqsSinkOptions.MAX_RECORD_SIZE_IN_BYTES:
                builder.setMaxRecordSizeInBytes(number(name, value));
                break;
            case SqsSinkOptions.REJECTED_RECORD_POLICY:
                builder.setRejectedRecordPolicy(value);
                break;
            case SqsSinkOptions.FIFO_DEDUPLICATION:
                builder.setFifoDeduplication(value);
                break;
            case "dead_letter_queue_url":
                builder.setDeadLetterQueueUrl(value);
                break;
            default:
                throw new IllegalStateException("no setter for option " + name);
        }
    }

    /** sink.large-payload.*: offload is on when the bucket is set; the rest need it. */
    private static void applyOffload(SqsSinkBuilder<RowData> builder, Map<String, String> offload) {
        if (offload.isEmpty()) {
            return;
        }
        Map<String, String> keys = LargePayloadOffload.sqlKeys();
        String bucket = offload.get("s3_bucket");
        if (bucket == null) {
            throw new IllegalArgumentException(
                    "'"
                            + keys.get(offload.keySet().iterator().next())
                            + "' needs '"
                            + keys.get("s3_bucket")
                            + "', which turns large-payload offload on");
        }
        String threshold = offload.get("threshold_bytes");
        int thresholdBytes = LargePayloadOffload.DEFAULT_THRESHOLD_BYTES;
        if (threshold != null) {
            try {
                thresholdBytes = Integer.parseInt(threshold.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "set_large_payload_offload: threshold_bytes must be an integer, got '"
                                + threshold
                                + "'");
            }
        }
        String legacy = offload.get("legacy_size_attribute");
        builder.setLargePayloadOffload(
                bucket.trim(),
                thresholdBytes,
                offload.getOrDefault("key_prefix", ""),
                legacy != null && flag("set_large_payload_offload: legacy_size_attribute", legacy),
                offload.get("s3_endpoint"));
    }

    private static long number(String name, String value) {
        try {
            // Bounds are checked by the setter; out of int range is out of every bound.
            long parsed = Long.parseLong(value.trim());
            // Records may exceed the table's bound with offload: its setter and build() check.
            return name.equals(SqsSinkOptions.MAX_RECORD_SIZE_IN_BYTES)
                    ? parsed
                    : SqsSinkOptions.checkBounds(name, parsed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }

    private static boolean flag(String name, String value) {
        String text = value.trim().toLowerCase();
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException(
                    name + " must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(text);
    }

    /** The builder's messages name options as the Python builder does; SQL users see keys. */
    static String withSqlKeys(String message) {
        String result = message;
        List<String> names = new ArrayList<>(SqsSinkOptions.sqlKeys().keySet());
        // Longest first: max_batch_size is a prefix of max_batch_size_in_bytes.
        names.sort((a, b) -> b.length() - a.length());
        for (String name : names) {
            result = result.replace(name, "'" + SqsSinkOptions.sqlKeys().get(name) + "'");
        }
        for (Map.Entry<String, String> key : LargePayloadOffload.sqlKeys().entrySet()) {
            for (String form : new String[] {": ", "'s "}) {
                result =
                        result.replace(
                                "set_large_payload_offload" + form + key.getKey(),
                                "'" + key.getValue() + "'");
            }
        }
        result =
                result.replace(
                        "set_large_payload_offload()",
                        "'" + LargePayloadOffload.sqlKeys().get("s3_bucket") + "'");
        return result.replace("sqs_url", "'queue-url'");
    }

    private static String regionOf(String queueUrl) {
        String region =
                QueueUrls.problem(queueUrl, "'queue-url'") == null
                        ? QueueUrls.region(queueUrl)
                        : null;
        if (region == null) {
            throw new ValidationException(
                    "'aws.region' is not set and 'queue-url' ("
                            + queueUrl
                            + ") does not name one (sqs.<region>.amazonaws.com): set 'aws.region'");
        }
        return region;
    }
}
