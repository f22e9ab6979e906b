package io.sibyl.app.errors;

/**
 * A request that needs the cluster layer (other replicas, schema changes, cluster state) while this
 * node restarts it after the cluster downed it: {@code UNAVAILABLE}, 503, nothing done. Retry shortly
 * or on another node.
 */
public final class ClusterLayerAwayException extends RequestException {
    public ClusterLayerAwayException(String what) {
        super(what + " needs the cluster layer, which this node is restarting (it was downed by the cluster); "
                + "nothing was done: retry shortly or on another node");
    }

    @Override public String code() { return "UNAVAILABLE"; }
    @Override public int status() { return 503; }
}
