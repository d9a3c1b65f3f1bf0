import org.apache.flink.api.common.serialization.SerializationSchema;

import java.nio.charset.StandardCharsets;

/**
 * For the Java-backend rows: a number becomes "n-NUMBER:EPOCH_MILLIS" inside the sink (no
 * Python map in front of it), so the endpoint can measure the latency from when the sink got
 * the element to when the message arrived.
 */
public final class TimestampedNumberSchema implements SerializationSchema<Long> {
    @Override
    public byte[] serialize(Long number) {
        return ("n-" + number + ":" + System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
    }
}
