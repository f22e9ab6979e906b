package io.sibyl.actors.consistency;

/** What kind of write timed out (the {@code write_type} of WRITE_TIMEOUT), as in Cassandra. */
public enum WriteType {
    SIMPLE,
    BATCH,
    UNLOGGED_BATCH,
    COUNTER,
    BATCH_LOG,
    CAS,
    VIEW,
    CDC,
    /** TRUNCATE: every node of the ring must ack. */
    TRUNCATE
}
