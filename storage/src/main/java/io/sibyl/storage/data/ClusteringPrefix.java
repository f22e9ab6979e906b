package io.sibyl.storage.data;

/**
 * A clustering or a bound: anything that has a position in a partition's clustering order. Letting
 * both share one sorted map key type lets a slice be read as a sub-map between two bounds.
 */
public sealed interface ClusteringPrefix permits Clustering, ClusteringBound {

    int size();

    byte[] get(int i);
}
