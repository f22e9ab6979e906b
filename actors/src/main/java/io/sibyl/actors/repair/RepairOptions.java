package io.sibyl.actors.repair;

import io.sibyl.storage.repair.TokenSubrange;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one repair session covers.
 *
 * @param keyspace          the keyspace to repair
 * @param tables            its tables to repair; empty for all of them
 * @param primaryRangesOnly only the ranges this node is primary replica of ({@code -pr}): running it on
 *                          every node repairs each range once
 * @param subrange          only the part of this node's ranges inside these tokens ({@code --start-token},
 *                          {@code --end-token}), or empty for all of them
 */
public record RepairOptions(String keyspace, List<String> tables, boolean primaryRangesOnly,
                            Optional<TokenSubrange> subrange) {

    public RepairOptions {
        Objects.requireNonNull(keyspace, "keyspace");
        tables = List.copyOf(tables);
        Objects.requireNonNull(subrange, "subrange");
    }

    public static RepairOptions of(String keyspace, String... tables) {
        return new RepairOptions(keyspace, List.of(tables), false, Optional.empty());
    }

    public RepairOptions primaryOnly() {
        return new RepairOptions(keyspace, tables, true, subrange);
    }

    public RepairOptions within(long startToken, long endToken) {
        return new RepairOptions(keyspace, tables, primaryRangesOnly, Optional.of(new TokenSubrange(startToken, endToken)));
    }
}
