package io.sibyl.storage.data;

/**
 * The liveness of a row's primary key, written by INSERT (UPDATE writes none). A row exists while
 * this is live or any of its cells is live; so an INSERT of only the key makes a row, and an UPDATE
 * whose cells are all deleted makes it vanish.
 *
 * @param timestamp           write timestamp in µs, {@link Long#MIN_VALUE} when empty
 * @param ttl                 seconds, or {@link Cell#NO_TTL}
 * @param localExpirationTime the second the row marker expires, {@link Cell#NO_DELETION_TIME} if it does not
 */
public record LivenessInfo(long timestamp, int ttl, int localExpirationTime) {

    public static final LivenessInfo EMPTY = new LivenessInfo(Long.MIN_VALUE, Cell.NO_TTL, Cell.NO_DELETION_TIME);

    public static LivenessInfo create(long timestamp, int ttl, int nowInSec) {
        return ttl == Cell.NO_TTL
                ? new LivenessInfo(timestamp, Cell.NO_TTL, Cell.NO_DELETION_TIME)
                : new LivenessInfo(timestamp, ttl, Cell.expiry(nowInSec, ttl));
    }

    public boolean isEmpty() {
        return timestamp == Long.MIN_VALUE;
    }

    public boolean isExpiring() {
        return ttl != Cell.NO_TTL;
    }

    public boolean isLive(int nowInSec) {
        return !isEmpty() && (ttl == Cell.NO_TTL || nowInSec < localExpirationTime);
    }
}
