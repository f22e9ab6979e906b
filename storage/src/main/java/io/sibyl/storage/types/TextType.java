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
        String s = cast(value, String.class);
        try {
            // A lone surrogate cannot be written as UTF-8: refuse it instead of writing '?'.
            ByteBuffer buf = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(java.nio.CharBuffer.wrap(s));
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("String is not valid UTF-16 (unpaired surrogate) for type text");
        }
    }

    @Override
    public Object deserialize(byte[] bytes) {
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
}
