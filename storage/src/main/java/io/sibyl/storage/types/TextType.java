package io.sibyl.storage.types;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** {@code text} (alias {@code varchar}): UTF-8 bytes, ordered byte-wise unsigned (= code point order). */
public final class TextType extends NativeType {

    public static final TextType INSTANCE = new TextType();

    private TextType() {
        super("text", String.class);
    }

    @Override
    public byte[] serialize(Object value) {
        if (value instanceof AsciiText ascii) {
            return ascii.bytes();
        }
        String s = cast(value, String.class);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8); // an intrinsic
        // getBytes writes '?' for a lone surrogate. One byte per char and no '?' means all ASCII, which
        // needs no check; anything else is checked char by char.
        if (bytes.length != s.length() || hasQuestionMark(bytes)) {
            validate(s);
        }
        return bytes;
    }

    private static boolean hasQuestionMark(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '?') {
                return true;
            }
        }
        return false;
    }

    /**
     * Throws IllegalArgumentException if {@code s} has no UTF-8 form (an unpaired surrogate): what
     * {@link #serialize} checks, without encoding (coercion checks a value that is serialized later).
     */
    public static void validate(String s) {
        // A lone surrogate cannot be written as UTF-8: refuse it instead of letting getBytes write '?'.
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new IllegalArgumentException("String is not valid UTF-16 (unpaired surrogate) for type text");
            }
        }
    }

    @Override
    public Object deserialize(byte[] bytes) {
        if (isAscii(bytes)) {
            return new String(bytes, StandardCharsets.ISO_8859_1); // ASCII is valid UTF-8: no decoder needed
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Invalid UTF-8 bytes for type text");
        }
    }

    @Override
    protected int compareNonEmpty(byte[] a, byte[] b) {
        return compareUnsigned(a, b);
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
