package io.sibyl.app.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Settings are layered: command-line flags over {@code -D} system properties over the config file
 * ({@code --config}, else {@code config/sibyl.conf} when present) over each module's reference.conf.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    public static Config load(Path configFile, Map<String, Object> flags) {
        Config file = ConfigFactory.empty();
        Path chosen = configFile;
        if (chosen == null) {
            Path def = Path.of("config", "sibyl.conf");
            if (Files.isRegularFile(def)) chosen = def;
        }
        if (chosen != null) {
            if (!Files.isRegularFile(chosen)) {
                throw new IllegalArgumentException("config file not found: " + chosen);
            }
            file = ConfigFactory.parseFile(chosen.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        }
        Config layered = ConfigFactory.parseMap(flags, "command-line flags")
                .withFallback(ConfigFactory.systemProperties())
                .withFallback(file)
                .withFallback(ConfigFactory.defaultReference());
        return layered.resolve();
    }
}
