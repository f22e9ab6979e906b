package io.sibyl.actors.batchlog;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.time.Duration;

/**
 * The batchlog's settings ({@code sibyl.batchlog.*}, defaults in reference.conf, documented in
 * config/sibyl.conf).
 *
 * @param replayInterval how often each node looks for batches in its batchlog that are due for replay
 * @param timeout        how old an entry must be before it is replayed: a coordinator still applying
 *                       its batch removes the entry itself well before (Cassandra's
 *                       {@code getBatchlogTimeout}, twice {@code write_request_timeout})
 */
public record BatchlogSettings(Duration replayInterval, Duration timeout) {

    public BatchlogSettings {
        if (replayInterval == null || replayInterval.isNegative() || replayInterval.isZero()) {
            throw new IllegalArgumentException("sibyl.batchlog.replay_interval must be positive, was " + replayInterval);
        }
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("the batchlog timeout must not be negative, was " + timeout);
        }
    }

    /** {@code sibyl.batchlog.replay_interval}; the timeout is twice {@code sibyl.coordinator.write_request_timeout}. */
    public static BatchlogSettings fromConfig(Config config) {
        Config c = config.withFallback(ConfigFactory.defaultReference());
        return new BatchlogSettings(c.getDuration("sibyl.batchlog.replay_interval"),
                c.getDuration("sibyl.coordinator.write_request_timeout").multipliedBy(2));
    }
}
