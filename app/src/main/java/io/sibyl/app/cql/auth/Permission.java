package io.sibyl.app.cql.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a role may do to a data resource (Cassandra's names). {@code ALL} in CQL means every one of them. */
public enum Permission {
    CREATE, ALTER, DROP, SELECT, MODIFY, AUTHORIZE, DESCRIBE;

    /** Every permission that applies to data resources. */
    public static Set<Permission> all() {
        return EnumSet.allOf(Permission.class);
    }

    /** The permission named {@code name} (case-insensitive); null if there is none. */
    public static Permission parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
