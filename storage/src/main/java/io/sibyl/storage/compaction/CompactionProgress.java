package io.sibyl.storage.compaction;

import java.util.UUID;

/**
 * A running compaction as {@code GET /v1/admin/compactions} shows it.
 *
 * @param bytesDone  estimated uncompressed input bytes merged so far
 * @param bytesTotal uncompressed bytes of all inputs
 */
public record CompactionProgress(UUID id, String keyspace, String table, String kind, int inputs, long bytesDone,
                                 long bytesTotal, long bytesWritten, String reason) {
}
