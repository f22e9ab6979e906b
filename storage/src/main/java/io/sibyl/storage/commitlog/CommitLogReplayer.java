package io.sibyl.storage.commitlog;

import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.serialization.MalformedDataException;
import io.sibyl.storage.serialization.MutationSerializer;
import io.sibyl.storage.schema.TableMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Replays the segments left in a commit-log directory, oldest first, into the tables: each update is
 * applied unless its table is unknown (dropped: skipped with a log line) or already has everything up to
 * the record's position in SSTables (or truncated it away) — see {@link Target#replayFrom}.
 */
public final class CommitLogReplayer {

    private static final Logger log = LoggerFactory.getLogger(CommitLogReplayer.class);

    /** Where replayed updates go. */
    public interface Target {
        /** Records of the table before this position are already durable elsewhere (or truncated): skip them. */
        CommitLogPosition replayFrom(UUID tableId);

        void apply(PartitionUpdate update, CommitLogPosition position);
    }

    /** What a replay did. */
    public record Result(List<Path> segments, long records, long updatesApplied, long updatesSkipped,
                         Set<UUID> unknownTables, long maxSegmentId) {
    }

    private CommitLogReplayer() {
    }

    /** The segment files of a directory, oldest first. */
    public static List<Path> segments(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> out = new ArrayList<>(files.filter(f -> CommitLogFormat.segmentId(f) >= 0).toList());
            out.sort(Comparator.comparingLong(CommitLogFormat::segmentId));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list commit log directory " + dir, e);
        }
    }

    public static Result replay(Path dir, ReplayFailurePolicy policy, Function<UUID, TableMetadata> schema, Target target) {
        List<Path> segments = segments(dir);
        long[] counts = new long[3];
        Set<UUID> unknown = new HashSet<>();
        long maxId = 0;
        for (int i = 0; i < segments.size(); i++) {
            Path file = segments.get(i);
            maxId = Math.max(maxId, CommitLogFormat.segmentId(file));
            CommitLogReader reader = new CommitLogReader(file, i == segments.size() - 1, policy);
            reader.read((position, payload) -> {
                counts[0]++;
                Mutation m;
                try {
                    m = MutationSerializer.deserialize(payload, schema, id -> {
                        if (unknown.add(id)) {
                            log.info("Commit log replay skips records of table {}: not in the schema (dropped?)", id);
                        }
                    });
                } catch (MalformedDataException e) {
                    reader.damaged(position.offset(), "undecodable mutation (" + e.getMessage() + ")");
                    return;
                }
                if (m == null) {
                    return;
                }
                for (PartitionUpdate u : m.updates()) {
                    if (position.isBefore(target.replayFrom(u.tableId()))) {
                        counts[2]++;
                    } else {
                        target.apply(u, position);
                        counts[1]++;
                    }
                }
            });
        }
        if (!segments.isEmpty()) {
            log.info("Replayed {} commit log segment(s): {} records, {} updates applied, {} already flushed",
                    segments.size(), counts[0], counts[1], counts[2]);
        }
        return new Result(segments, counts[0], counts[1], counts[2], unknown, maxId);
    }
}
