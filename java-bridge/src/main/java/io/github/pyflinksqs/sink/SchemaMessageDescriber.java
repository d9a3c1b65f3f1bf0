package io.github.pyflinksqs.sink;

import org.apache.flink.api.common.serialization.SerializationSchema;

/** A serialization schema's bytes as the body, or as an envelope that describes the message. */
final class SchemaMessageDescriber<T> implements MessageDescriber<T> {
    private static final long serialVersionUID = 1L;

    private final SerializationSchema<T> schema;
    private final boolean envelopes;

    SchemaMessageDescriber(SerializationSchema<T> schema, boolean envelopes) {
        this.schema = schema;
        this.envelopes = envelopes;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context) throws Exception {
        schema.open(context);
    }

    @Override
    public DescribedMessage describe(T element, long position) {
        byte[] serialized = schema.serialize(element);
        return envelopes ? SqsEnvelope.parse(serialized) : DescribedMessage.of(serialized);
    }
}
