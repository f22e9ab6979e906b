package io.sibyl.verify.workload;

import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import io.sibyl.verify.checker.CheckResult;
import io.sibyl.verify.client.CqlClient;
import java.util.List;
import java.util.Random;

/**
 * A workload: its schema, the operations its clients invoke, how one is executed against a node, the final
 * reads after the faults are healed, and the checkers that judge its history.
 */
public interface Workload {

    String name();

    /** Creates its tables (keyspace {@value #KEYSPACE}, RF 3 or the cluster size if smaller) and initial rows. */
    void setup(CqlClient client, String node) throws Exception;

    /** The next operation a client invokes (f, key, value); {@code process} and time are filled in by the caller. */
    Op nextInvoke(int process, Random rnd);

    /** Runs {@code invoke} against {@code node} and returns its completion (time filled in by the caller). */
    Op execute(CqlClient client, String node, Op invoke);

    /** Reads after the quiet period, appended to {@code history} (e.g. the set's read at ALL). */
    void finalReads(CqlClient client, List<String> nodes, History history, int process);

    List<CheckResult> check(List<Op> history);

    String KEYSPACE = "verify";

    /** Ops of unknown outcome turn into fails when the answer proves nothing was done. */
    static Op failOrInfo(Op invoke, io.sibyl.verify.client.CqlResult r, boolean isRead) {
        Op.Type t = isRead || r.certainlyNotApplied() ? Op.Type.FAIL : Op.Type.INFO;
        return invoke.complete(t, null, 0, r.describe());
    }
}
