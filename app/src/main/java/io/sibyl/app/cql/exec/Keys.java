package io.sibyl.app.cql.exec;

import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.token.Murmur3Partitioner;
import io.sibyl.storage.token.PartitionKeys;
import io.sibyl.storage.types.CqlType;
import java.util.ArrayList;
import java.util.List;

/** Partition keys and clusterings from typed values, and back; the key limits Cassandra enforces. */
final class Keys {

    static final int MAX_KEY_BYTES = 0xFFFF;

    private Keys() {
    }

    /** The decorated key of the partition-key values (one per partition key column, in order). */
    static DecoratedKey partitionKey(TableMetadata table, List<Object> values) {
        List<ColumnMetadata> pk = table.partitionKeyColumns();
        List<CqlType> types = new ArrayList<>(pk.size());
        for (int i = 0; i < pk.size(); i++) {
            types.add(pk.get(i).type());
            Object v = values.get(i);
            if (v == null) {
                throw new InvalidRequestException("Invalid null value in condition for column " + pk.get(i).name());
            }
        }
        byte[] key;
        try {
            key = PartitionKeys.serialize(types, values);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        if (key.length == 0) {
            throw new InvalidRequestException("Key may not be empty");
        }
        if (key.length > MAX_KEY_BYTES) {
            throw new InvalidRequestException("Key length of " + key.length + " is longer than maximum of " + MAX_KEY_BYTES);
        }
        return decorate(key);
    }

    static DecoratedKey decorate(byte[] key) {
        return new DecoratedKey(Murmur3Partitioner.token(key), key);
    }

    /** The typed partition-key values of a stored key. */
    static List<Object> partitionKeyValues(TableMetadata table, DecoratedKey key) {
        List<ColumnMetadata> pk = table.partitionKeyColumns();
        List<Object> out = new ArrayList<>(pk.size());
        if (pk.size() == 1) {
            out.add(pk.get(0).type().deserialize(key.key()));
            return out;
        }
        List<byte[]> parts = PartitionKeys.decompose(key.key());
        for (int i = 0; i < pk.size(); i++) {
            out.add(pk.get(i).type().deserialize(parts.get(i)));
        }
        return out;
    }

    /** The serialized values of a clustering prefix (a full clustering when every column is given). */
    static byte[][] clusteringValues(TableMetadata table, List<Object> values) {
        List<ColumnMetadata> cc = table.clusteringColumns();
        byte[][] out = new byte[values.size()][];
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v == null) {
                throw new InvalidRequestException("Invalid null value in condition for column " + cc.get(i).name());
            }
            out[i] = cc.get(i).type().serialize(v);
            if (out[i].length > MAX_KEY_BYTES) {
                throw new InvalidRequestException("Key length of " + out[i].length + " is longer than maximum of "
                        + MAX_KEY_BYTES);
            }
        }
        return out;
    }

    static Clustering clustering(TableMetadata table, List<Object> values) {
        return Clustering.of(clusteringValues(table, values));
    }
}
