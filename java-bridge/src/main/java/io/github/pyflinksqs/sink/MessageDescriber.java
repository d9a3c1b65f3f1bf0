package io.github.pyflinksqs.sink;

import org.apache.flink.api.common.serialization.SerializationSchema;

import java.io.Serializable;

/**
 * Turns an element into a {@link DescribedMessage}: a serialization schema's bytes as the body
 * ({@link #bodies}), pyflink_sqs's envelopes ({@link #envelopes}), or the SQL sink's rows with
 * their metadata columns (table.RowMessageDescriber). A message SQS can never accept as described
 * (an attribute name it reserves, a delay out of range) is a mistake of the job, not of the data:
 * describe() throws IllegalArgumentException naming the record and the rule.
 */
public interface MessageDescriber<T> extends Serializable {
    /** Once per writer, before the first element. */
    void open(SerializationSchema.InitializationContext context) throws Exception;

    /** position: the element's number in its subtask, from 1, for messages. */
    DescribedMessage describe(T element, long position);

    static <T> MessageDescriber<T> bodies(SerializationSchema<T> schema) {
        return new SchemaMessageDescriber<>(schema, false);
    }

    /** Elements whose serialized form is an envelope of pyflink_sqs/envelope.py. */
    static <T> MessageDescriber<T> envelopes(SerializationSchema<T> schema) {
        return new SchemaMessageDescriber<>(schema, true);
    }
}
