package io.sibyl.storage.sstable;

/**
 * The chunk a scan of one SSTable decompressed last, shared by the cursors of the scan's partitions: the
 * next partition, usually in the same chunk, reads it without decompressing it again. A published array is
 * never written again (the next chunk gets a new one), so a cursor still reading an earlier partition
 * keeps valid bytes. One per scan; used by the scan's thread only.
 */
final class ScanChunk {
    /** The chunk's index in the data file, or -1 before the first. */
    int index = -1;
    byte[] bytes;
    int length;
}
