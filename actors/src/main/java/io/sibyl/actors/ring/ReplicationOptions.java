package io.sibyl.actors.ring;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Parsing of CQL replication maps into strategies; messages are shown to clients as INVALID. */
final class ReplicationOptions {

    static final String CASSANDRA_PACKAGE = "org.apache.cassandra.locator.";

    private ReplicationOptions() {
    }

    static ReplicationStrategy parse(Map<String, String> options, Set<String> knownDcs) {
        if (options == null) {
            throw new IllegalArgumentException("Missing replication options");
        }
        String cls = options.get(ReplicationStrategy.CLASS);
        if (cls == null || cls.isBlank()) {
            throw new IllegalArgumentException("Missing replication strategy class: the replication map needs a 'class' option");
        }
        String simpleName = cls.trim();
        if (simpleName.startsWith(CASSANDRA_PACKAGE)) {
            simpleName = simpleName.substring(CASSANDRA_PACKAGE.length());
        }
        Map<String, String> rest = new TreeMap<>(options);
        rest.remove(ReplicationStrategy.CLASS);
        switch (simpleName.toLowerCase(Locale.ROOT)) {
            case "simplestrategy":
                return parseSimple(rest);
            case "networktopologystrategy":
                return parseNetworkTopology(rest, knownDcs);
            default:
                throw new IllegalArgumentException("Unable to find replication strategy class '" + cls
                        + "': use SimpleStrategy or NetworkTopologyStrategy");
        }
    }

    private static SimpleStrategy parseSimple(Map<String, String> opts) {
        String rf = opts.remove(ReplicationStrategy.REPLICATION_FACTOR);
        if (rf == null) {
            throw new IllegalArgumentException("SimpleStrategy requires a replication_factor strategy option");
        }
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("Unrecognized strategy option(s) " + opts.keySet()
                    + " passed to SimpleStrategy: it takes only replication_factor");
        }
        return new SimpleStrategy(parseFactor(ReplicationStrategy.REPLICATION_FACTOR, rf));
    }

    private static NetworkTopologyStrategy parseNetworkTopology(Map<String, String> opts, Set<String> knownDcs) {
        String defaultRf = opts.remove(ReplicationStrategy.REPLICATION_FACTOR);
        Map<String, Integer> dcRf = new HashMap<>();
        for (Map.Entry<String, String> e : opts.entrySet()) {
            if (e.getKey().isBlank()) {
                throw new IllegalArgumentException("NetworkTopologyStrategy: data center names must not be blank");
            }
            dcRf.put(e.getKey(), parseFactor(e.getKey(), e.getValue()));
        }
        if (defaultRf != null) {
            int rf = parseFactor(ReplicationStrategy.REPLICATION_FACTOR, defaultRf);
            if (knownDcs == null) {
                throw new IllegalArgumentException("NetworkTopologyStrategy takes a replication factor per data center"
                        + " (e.g. {'class': 'NetworkTopologyStrategy', 'dc1': 3}); a plain replication_factor"
                        + " needs the cluster's data centers to expand to");
            }
            for (String dc : knownDcs) {
                dcRf.putIfAbsent(dc, rf);
            }
        }
        return new NetworkTopologyStrategy(dcRf);
    }

    private static int parseFactor(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException("Replication factor for '" + option + "' is missing");
        }
        int rf;
        try {
            rf = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Replication factor for '" + option
                    + "' must be a non-negative integer; found '" + value + "'");
        }
        if (rf < 0) {
            throw new IllegalArgumentException("Replication factor for '" + option
                    + "' must be non-negative; found " + rf);
        }
        return rf;
    }
}
