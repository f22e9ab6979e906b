package io.sibyl.actors.coordinator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.time.Duration;
import java.util.Locale;

/**
 * The coordinator's settings ({@code sibyl.coordinator.*}, defaults in reference.conf, documented
 * in config/sibyl.conf). The replica pool size peers are addressed with is not here: it comes from
 * the ActorSystem's config, the same value the node's own pool was spawned with.
 *
 * @param writeRequestTimeout  how long a write waits for its consistency level before WRITE_TIMEOUT
 * @param readRequestTimeout   how long a partition read waits before READ_TIMEOUT
 * @param rangeRequestTimeout  how long each token-range request of a scan waits before READ_TIMEOUT
 * @param maxInFlightPerPeer   requests outstanding to one peer before new ones answer OVERLOADED
 * @param hintedHandoffEnabled whether writes missed by a down or silent replica are stored as hints
 * @param readRepair           BLOCKING: a read that finds replicas disagreeing repairs them before
 *                             answering; NONE: it answers the reconciled data and repairs nothing
 * @param truncateRequestTimeout how long a TRUNCATE waits for every node's ack before WRITE_TIMEOUT
 * @param casContentionTimeout how long a lightweight transaction keeps retrying its Paxos rounds
 *                             under contention before WRITE_TIMEOUT (write type CAS)
 */
public record CoordinatorSettings(Duration writeRequestTimeout, Duration readRequestTimeout,
                                  Duration rangeRequestTimeout, int maxInFlightPerPeer,
                                  boolean hintedHandoffEnabled, ReadRepair readRepair,
                                  Duration truncateRequestTimeout, Duration casContentionTimeout) {

    public enum ReadRepair { BLOCKING, NONE }

    public CoordinatorSettings {
        positive("write_request_timeout", writeRequestTimeout);
        positive("read_request_timeout", readRequestTimeout);
        positive("range_request_timeout", rangeRequestTimeout);
        positive("truncate_request_timeout", truncateRequestTimeout);
        positive("cas_contention_timeout", casContentionTimeout);
        if (maxInFlightPerPeer < 1) {
            throw new IllegalArgumentException("sibyl.coordinator.max_in_flight_per_peer must be at least 1");
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("sibyl.coordinator." + name + " must be positive, was " + d);
        }
    }

    /** Reads {@code sibyl.coordinator.*}, falling back to the defaults. */
    public static CoordinatorSettings fromConfig(Config config) {
        Config c = config.withFallback(ConfigFactory.defaultReference());
        String repair = c.getString("sibyl.coordinator.read_repair").trim().toUpperCase(Locale.ROOT);
        ReadRepair rr;
        try {
            rr = ReadRepair.valueOf(repair);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sibyl.coordinator.read_repair must be blocking or none, was '"
                    + c.getString("sibyl.coordinator.read_repair") + "'");
        }
        return new CoordinatorSettings(
                c.getDuration("sibyl.coordinator.write_request_timeout"),
                c.getDuration("sibyl.coordinator.read_request_timeout"),
                c.getDuration("sibyl.coordinator.range_request_timeout"),
                c.getInt("sibyl.coordinator.max_in_flight_per_peer"),
                c.getBoolean("sibyl.hints.hinted_handoff_enabled"),
                rr,
                c.getDuration("sibyl.coordinator.truncate_request_timeout"),
                c.getDuration("sibyl.coordinator.cas_contention_timeout"));
    }

    public static CoordinatorSettings defaults() {
        return fromConfig(ConfigFactory.empty());
    }

    public CoordinatorSettings withWriteRequestTimeout(Duration d) {
        return new CoordinatorSettings(d, readRequestTimeout, rangeRequestTimeout, maxInFlightPerPeer,
                hintedHandoffEnabled, readRepair, truncateRequestTimeout, casContentionTimeout);
    }

    public CoordinatorSettings withReadRequestTimeout(Duration d) {
        return new CoordinatorSettings(writeRequestTimeout, d, d, maxInFlightPerPeer,
                hintedHandoffEnabled, readRepair, truncateRequestTimeout, casContentionTimeout);
    }

    public CoordinatorSettings withTruncateRequestTimeout(Duration d) {
        return new CoordinatorSettings(writeRequestTimeout, readRequestTimeout, rangeRequestTimeout, maxInFlightPerPeer,
                hintedHandoffEnabled, readRepair, d, casContentionTimeout);
    }

    public CoordinatorSettings withCasContentionTimeout(Duration d) {
        return new CoordinatorSettings(writeRequestTimeout, readRequestTimeout, rangeRequestTimeout, maxInFlightPerPeer,
                hintedHandoffEnabled, readRepair, truncateRequestTimeout, d);
    }

    public CoordinatorSettings withMaxInFlightPerPeer(int n) {
        return new CoordinatorSettings(writeRequestTimeout, readRequestTimeout, rangeRequestTimeout, n,
                hintedHandoffEnabled, readRepair, truncateRequestTimeout, casContentionTimeout);
    }
}
