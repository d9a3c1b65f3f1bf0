package io.github.pyflinksqs.table;

import io.github.pyflinksqs.config.SqsSinkOptions;
import io.github.pyflinksqs.sink.MessageRules;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;
import java.util.List;

/** A table's message group: 'sink.message-group-id' (constant) or '...id.field' (a column). */
final class MessageGroup implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String CONSTANT = "message_group_id";
    static final String FIELD = "message_group_id_field";

    private final String constant;
    private final RowData.FieldGetter column; // null for a constant
    private final String columnName;

    private MessageGroup(
            String constant, LogicalType columnType, int columnIndex, String columnName) {
        this.constant = constant;
        this.column =
                columnType == null ? null : RowData.createFieldGetter(columnType, columnIndex);
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
            if (MessageRules.idProblem(constant, "group_id", constantKey) != null) {
                throw new ValidationException(
                        "'"
                                + constantKey
                                + "' must be 1..128 letters, digits and punctuation, "
                                + "got '"
                                + constant
                                + "'");
            }
            return new MessageGroup(constant, null, -1, null);
        }
        if (field != null) {
            RowType row = (RowType) physicalRowType.getLogicalType();
            List<String> names = row.getFieldNames();
            int index = names.indexOf(field);
            if (index < 0) {
                throw new ValidationException(
                        "'"
                                + fieldKey
                                + "' names column '"
                                + field
                                + "', which the table does "
                                + "not have (columns: "
                                + String.join(", ", names)
                                + ")");
            }
            return new MessageGroup(null, row.getTypeAt(index), index, field);
        }
        return null;
    }

    /** The row's group id; record names the row in the error when its column is NULL. */
    String idOf(RowData row, String record) {
        if (column == null) {
            return constant;
        }
        Object value = column.getFieldOrNull(row);
        if (value == null) {
            throw new IllegalArgumentException(
                    record
                            + " has no message group id: its column '"
                            + columnName
                            + "' ("
                            + SqsSinkOptions.sqlKeys().get(FIELD)
                            + ") is null");
        }
        String id = value.toString();
        String problem =
                MessageRules.idProblem(id, "group_id", record + " (column '" + columnName + "')");
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return id;
    }
}
