package io.sibyl.storage.types;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** {@code inet}: the 4 (IPv4) or 16 (IPv6) address bytes, ordered byte-wise unsigned. */
public final class InetType extends NativeType {

    public static final InetType INSTANCE = new InetType();

    private InetType() {
        super("inet", InetAddress.class);
    }

    @Override
    public byte[] serialize(Object value) {
        return cast(value, InetAddress.class).getAddress();
    }

    @Override
    public Object deserialize(byte[] bytes) {
        if (bytes.length != 4 && bytes.length != 16) {
            throw new IllegalArgumentException("Expected 4 or 16 bytes for type inet but got " + bytes.length);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Invalid inet bytes", e);
        }
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return compareUnsigned(a, b);
    }
}
