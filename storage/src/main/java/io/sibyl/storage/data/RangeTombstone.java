package io.sibyl.storage.data;

/** A deletion of every row whose clustering falls in a slice (e.g. {@code DELETE ... WHERE ck1 = 5 AND ck2 > 3}). */
public record RangeTombstone(Slice slice, DeletionTime deletion) {
}
