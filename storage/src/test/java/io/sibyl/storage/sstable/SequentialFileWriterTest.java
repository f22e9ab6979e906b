package io.sibyl.storage.sstable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequentialFileWriterTest {

    @TempDir
    Path dir;

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    @Test
    void trickleFsyncSyncsEveryIntervalAndWritesTheSameBytes() throws Exception {
        byte[] content = random(3_500_000);
        SequentialFileWriter trickled = new SequentialFileWriter(dir.resolve("t"), 1 << 20);
        SequentialFileWriter plain = new SequentialFileWriter(dir.resolve("p"), 0);
        for (int off = 0; off < content.length; off += 1000) {
            int len = Math.min(1000, content.length - off);
            trickled.write(content, off, len);
            plain.write(content, off, len);
        }
        assertEquals(3, trickled.trickleSyncs(), "3.5 MB written with a 1 MiB interval");
        assertEquals(0, plain.trickleSyncs());
        assertEquals(content.length, trickled.position());
        trickled.finish();
        plain.finish();
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("t")));
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("p")));
    }
}
