package io.github.pyflinksqs.sink;

import org.apache.flink.api.dag.Transformation;

import java.util.Locale;

/**
 * An operator a sink puts in front of its end (the Python backend's writer and the identity
 * operator before it, the Java backend's message envelope map), with its role in the sink: what
 * SinkHandle names it and derives its uid from when the user names or identifies the sink.
 *
 * <p>Flink refuses a uid twice in a job, so each part gets the sink's uid with its role appended
 * ("orders" gives "orders-python-writer"); the parts keep no state (the Python writer has sent
 * every record before a checkpoint passes, the others are stateless maps), so their uids only name
 * them.
 */
public final class SinkPart {
    private final Transformation<?> transformation;
    private final String role;

    public SinkPart(Transformation<?> transformation, String role) {
        if (role == null || role.isEmpty()) {
            throw new IllegalArgumentException("a sink part needs a role, got '" + role + "'");
        }
        this.transformation = transformation;
        this.role = role;
    }

    Transformation<?> transformation() {
        return transformation;
    }

    /** The name of the part in a sink named {@code sinkName}: "orders: Python writer". */
    String nameWithin(String sinkName) {
        return sinkName + ": " + role;
    }

    /** The uid of the part in a sink whose uid is {@code sinkUid}: "orders-python-writer". */
    String uidWithin(String sinkUid) {
        return sinkUid + "-" + role.toLowerCase(Locale.ROOT).replace(' ', '-');
    }
}
