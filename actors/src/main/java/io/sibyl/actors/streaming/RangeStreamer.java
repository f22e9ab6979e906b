package io.sibyl.actors.streaming;

import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRange;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Moves data for topology changes (bootstrap, decommission, removenode, replace): this node pulls,
 * from one source replica, every partition of every table of a keyspace whose token lies in the
 * given ranges, and stores it locally (Cassandra's {@code RangeStreamer} + stream session, receiving
 * side). The data is durable on this node when the stage completes. A range finished by an earlier
 * attempt of the same session is not fetched again, so a session restarted after a crash resumes.
 */
public interface RangeStreamer {

    /**
     * @param sessionId names the movement (the same id on a retry resumes it)
     * @param source    the replica to read from; the stage fails if it is down or dies mid-stream
     * @param keyspace  the keyspace whose tables are streamed
     * @param ranges    the token ranges this node gains
     */
    CompletionStage<StreamSummary> fetchRanges(String sessionId, NodeInfo source, String keyspace,
                                               List<TokenRange> ranges);

    /** What one fetch moved. */
    record StreamSummary(long partitions, long bytes) {
    }
}
