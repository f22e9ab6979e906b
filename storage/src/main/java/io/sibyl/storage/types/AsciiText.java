package io.sibyl.storage.types;

import java.nio.charset.StandardCharsets;

/**
 * A {@code text}, {@code varchar} or {@code ascii} value that is already in its serialized form: bytes
 * known to be ASCII (every byte 0x00–0x7F), which are valid UTF-8 and valid ascii alike. A reader that
 * finds a plain ASCII string in a request (the JSON row fast path) hands it on this way, so the value is
 * neither decoded into a String nor encoded and checked again. The bytes are owned by this value.
 */
public record AsciiText(byte[] bytes) {

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
