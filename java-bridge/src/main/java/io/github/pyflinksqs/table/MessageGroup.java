package io.github.pyflinksqs.table;

import io.github.pyflinksqs.config.SqsSinkOptions;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/** A table's message group: 'sink.message-group-id' (constant) or '...id.field' (a column). */
final class MessageGroup implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String CONSTANT = "message_group_id";
    static final String FIELD = "message_group_id_field";
    // As pyflink_sqs/message.py: 1..128 letters, digits and punctuation.
    private static final Pattern ID =
            Pattern.compile("[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]{1,128}");

    private final String constant;
    private final LogicalType columnType;
    private final int columnIndex;
    private final String columnName;

    private MessageGroup(String constant, LogicalType columnType, int columnIndex, String columnName) {
        this.constant = constant;
        this.columnType = columnType;
        this.columnIndex = columnIndex;
        this.columnName = columnName;
    }

    /** Null when neither option is set. */
    static MessageGroup of(String constant, String field, DataType physicalRowType) {
        String constantKey = SqsSinkOptions.sqlKeys().get(CONSTANT);
        String fieldKey = SqsSinkOptions.sqlKeys().get(FIELD);
        if (constant != null && field != null) {
            throw new ValidationException(
                    "Set either '" + constantKey + "' or '" + fieldKey + "', not both");
        }
        if (constant != null) {
            if (!ID.matcher(constant).matches()) {
                throw new ValidationException(
                        "'" + constantKey + "' must be 1..128 letters, digits and punctuation, "
                                + "got '" + constant + "'");
            }
            return new MessageGroup(constant, null, -1, null);
        }
        if (field != null) {
            RowType row = (RowType) physicalRowType.getLogicalType();
            List<String> names = row.getFieldNames();
            int index = names.indexOf(field);
            if (index < 0) {
                throw new ValidationException(
                        "'" + fieldKey + "' names column '" + field + "', which the table does "
                                + "not have (columns: " + String.join(", ", names) + ")");
            }
            return new MessageGroup(null, row.getTypeAt(index), index, field);
        }
        return null;
    }

    SerializationSchema<RowData> schema(SerializationSchema<RowData> format, boolean fifo) {
        return new GroupedRowSchema(format, constant, columnType, columnIndex, columnName, fifo);
    }
}
