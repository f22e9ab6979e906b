package io.sibyl.actors.hints;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code sibyl.hints} section: hinted handoff switches, limits and where hints live.
 *
 * @param enabled          {@code hinted_handoff_enabled}: whether hints are stored at all
 * @param maxHintWindow    {@code max_hint_window}: no new hints for a node down longer than this
 * @param throttleKiBps    {@code hinted_handoff_throttle}: replay speed per target, KiB/s
 * @param directory        where the hint journal and snapshots live
 * @param deliveryTimeout  a delivery not acknowledged in this time counts as failed
 * @param retryMinBackoff  first wait after a failed delivery
 * @param retryMaxBackoff  longest wait between delivery attempts
 * @param snapshotEvery    events between snapshots; delivered hints leave the journal at snapshots
 */
public record HintSettings(boolean enabled, Duration maxHintWindow, int throttleKiBps, Path directory,
                           Duration deliveryTimeout, Duration retryMinBackoff, Duration retryMaxBackoff,
                           int snapshotEvery) {

    /** The pekko-persistence plugin ids the HintReplayers use. */
    public static final String JOURNAL_PLUGIN_ID = "sibyl.hints.journal";
    public static final String SNAPSHOT_PLUGIN_ID = "sibyl.hints.snapshot-store";

    public HintSettings {
        if (throttleKiBps < 0) {
            throw new IllegalArgumentException("hinted_handoff_throttle must not be negative");
        }
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("sibyl.hints.snapshot_every must be at least 1");
        }
        directory = directory.toAbsolutePath().normalize();
    }

    /** Reads {@code sibyl.hints.*}; an empty {@code directory} means {@code <sibyl.data_dir>/hints}. */
    public static HintSettings from(Config config) {
        Config h = config.getConfig("sibyl.hints");
        String dir = h.getString("directory");
        Path directory = dir.isBlank() ? Path.of(config.getString("sibyl.data_dir"), "hints") : Path.of(dir);
        return new HintSettings(
                h.getBoolean("hinted_handoff_enabled"),
                h.getDuration("max_hint_window"),
                h.getInt("hinted_handoff_throttle"),
                directory,
                h.getDuration("delivery_timeout"),
                h.getDuration("retry_min_backoff"),
                h.getDuration("retry_max_backoff"),
                h.getInt("snapshot_every"));
    }

    public Path journalDirectory() {
        return directory.resolve("journal");
    }

    public Path snapshotDirectory() {
        return directory.resolve("snapshots");
    }

    /** Replay rate in bytes per second; 0 means unthrottled. */
    public long throttleBytesPerSecond() {
        return throttleKiBps * 1024L;
    }

    /**
     * The Pekko settings that follow from these: the journal and snapshot directories. Layer it over
     * the node's config before creating the ActorSystem: {@code settings.toPekkoConfig().withFallback(config)}.
     */
    public Config toPekkoConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(JOURNAL_PLUGIN_ID + ".dir", journalDirectory().toString());
        m.put(SNAPSHOT_PLUGIN_ID + ".dir", snapshotDirectory().toString());
        return ConfigFactory.parseMap(m, "sibyl.hints settings");
    }
}
