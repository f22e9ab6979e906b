package io.sibyl.storage.types;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Reads IP address literals without ever resolving a host name (a value must not trigger DNS). */
final class InetLiterals {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private InetLiterals() {
    }

    static InetAddress parse(String text) {
        String s = text.trim();
        try {
            var v4 = IPV4.matcher(s);
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(v4.group(i + 1));
                    if (octet > 255) {
                        throw new IllegalArgumentException("IPv4 octet out of range: " + octet);
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            // With only hex digits, colons and dots, InetAddress treats the text as an IPv6 literal.
            if (s.contains(":") && IPV6_CHARS.matcher(s).matches()) {
                return InetAddress.getByName(s);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        throw new IllegalArgumentException("not an IP address: " + text);
    }
}
