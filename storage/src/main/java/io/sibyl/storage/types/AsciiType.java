package io.sibyl.storage.types;

import java.nio.charset.StandardCharsets;

/** {@code ascii}: US-ASCII bytes (every byte below 0x80), ordered byte-wise. */
public final class AsciiType extends NativeType {

    public static final AsciiType INSTANCE = new AsciiType();

    private AsciiType() {
        super("ascii", String.class);
    }

    @Override
    public byte[] serialize(Object value) {
        if (value instanceof AsciiText ascii) {
            return ascii.bytes();
        }
        String s = cast(value, String.class);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                throw new IllegalArgumentException("Non-ASCII character at index " + i + " for type ascii");
            }
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Object deserialize(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                throw new IllegalArgumentException("Invalid byte for ascii: " + (b & 0xff));
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return compareUnsigned(a, b);
    }
}
