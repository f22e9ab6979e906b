package io.sibyl.actors.cluster;

/**
 * Marker for messages and replicated values that cross nodes and are rare enough for Jackson CBOR
 * (bound to {@code jackson-cbor} in this module's reference.conf). Hot-path messages get a
 * hand-written serializer instead; Java serialization is off.
 */
public interface CborSerializable {
}
