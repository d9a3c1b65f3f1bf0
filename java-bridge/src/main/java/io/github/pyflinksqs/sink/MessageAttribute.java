package io.github.pyflinksqs.sink;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message attribute value: a data type ("String", "Number", "Binary", optionally with a custom
 * suffix such as "String.reason") and either a string or a binary value.
 */
public final class MessageAttribute implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String dataType;
    private final String stringValue;
    private final byte[] binaryValue;

    private MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {
        this.dataType = dataType;
        this.stringValue = stringValue;
        this.binaryValue = binaryValue;
    }

    public static MessageAttribute string(String value) {
        return new MessageAttribute("String", value, null);
    }

    public static MessageAttribute of(String dataType, String stringValue, byte[] binaryValue) {
        return new MessageAttribute(dataType, stringValue, binaryValue);
    }

    public String dataType() {
        return dataType;
    }

    /** Null for a Binary attribute. */
    public String stringValue() {
        return stringValue;
    }

    /** Null unless the attribute is Binary. */
    public byte[] binaryValue() {
        return binaryValue;
    }

    /** What SQS counts toward the message size: the type and the value (the name is added). */
    int sizeInBytes() {
        int value =
                binaryValue != null
                        ? binaryValue.length
                        : stringValue.getBytes(StandardCharsets.UTF_8).length;
        return dataType.getBytes(StandardCharsets.UTF_8).length + value;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof MessageAttribute)) {
            return false;
        }
        MessageAttribute that = (MessageAttribute) other;
        return dataType.equals(that.dataType)
                && Objects.equals(stringValue, that.stringValue)
                && Arrays.equals(binaryValue, that.binaryValue);
    }

    @Override
    public int hashCode() {
        return dataType.hashCode() * 31 + Objects.hashCode(stringValue);
    }
}
