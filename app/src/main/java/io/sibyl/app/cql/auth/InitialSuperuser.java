package io.sibyl.app.cql.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first superuser, {@code sibyl}, created when PasswordAuthenticator finds no role at all. Its
 * password is {@code $SIBYL_SUPERUSER_PASSWORD}, or else generated, logged once and written to
 * {@code <data_dir>/initial-superuser-password} (mode 0600): there is never a fixed default password.
 * The row is written with INSERT ... IF NOT EXISTS, so of two nodes that start at once only one creates it.
 */
final class InitialSuperuser {
    private static final Logger log = LoggerFactory.getLogger(InitialSuperuser.class);
    static final String NAME = "sibyl";
    static final String ENV = "SIBYL_SUPERUSER_PASSWORD";
    static final String FILE = "initial-superuser-password";

    private final RoleStore store;
    private final PasswordHasher hasher;
    private final Path dataDir;
    private final String fromEnv;

    InitialSuperuser(RoleStore store, PasswordHasher hasher, Path dataDir) {
        this(store, hasher, dataDir, System.getenv(ENV));
    }

    InitialSuperuser(RoleStore store, PasswordHasher hasher, Path dataDir, String fromEnv) {
        this.store = store;
        this.hasher = hasher;
        this.dataDir = dataDir;
        this.fromEnv = fromEnv;
    }

    CompletionStage<Void> createIfNoRoles() {
        return store.anyRole().thenCompose(any -> {
            if (any) return CompletableFuture.completedFuture(null);
            boolean generated = fromEnv == null || fromEnv.isEmpty();
            String password = generated ? generate() : fromEnv;
            return store.createIfAbsent(new RoleRecord(NAME, true, true, hasher.hash(password), Set.of()))
                    .thenAccept(created -> {
                        if (!created) return;
                        if (!generated) {
                            log.info("created the superuser '{}' with the password from ${}", NAME, ENV);
                            return;
                        }
                        Path file = dataDir.resolve(FILE);
                        write(file, password);
                        // Printed once, on purpose: the operator's only other copy is the 0600 file.
                        log.warn("created the superuser '{}' with the generated password {} (also in {}); "
                                + "log in and change it: ALTER ROLE {} WITH PASSWORD = '...'", NAME, password, file, NAME);
                    });
        });
    }

    private static String generate() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void write(Path file, String password) {
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system
            }
            Files.writeString(file, password + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            log.error("cannot write the initial superuser password to {}", file, e);
        }
    }
}
