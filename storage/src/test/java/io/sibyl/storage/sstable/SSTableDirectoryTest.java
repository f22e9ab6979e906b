package io.sibyl.storage.sstable;

import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.testutil.TestMutations;
import io.sibyl.storage.testutil.TestTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SSTableDirectoryTest {

    static final TableMetadata KV = TestTables.kv();

    @TempDir
    Path dir;

    @Test
    void halfWrittenFilesAreDeletedAtStartAndCompleteOnesKept() throws IOException {
        SSTableDirectory d = new SSTableDirectory(dir);
        d.cleanupAndList();
        Memtable m = new Memtable(KV);
        m.apply(TestMutations.kvUpdate(KV, 1, 1, 5));
        // generation 1: complete
        SSTableWriter w1 = SSTableWriter.create(d.newDescriptor(), KV, SSTableConfig.DEFAULT, 1, 5, CommitLogPosition.NONE, 0);
        m.iterator(KeyRange.all()).forEachRemaining(w1::append);
        w1.finish(KV).close();
        // generation 2: crashed mid-write (temporary files only)
        Descriptor g2 = d.newDescriptor();
        SSTableWriter w2 = SSTableWriter.create(g2, KV, SSTableConfig.DEFAULT, 1, 5, CommitLogPosition.NONE, 0);
        m.iterator(KeyRange.all()).forEachRemaining(w2::append);
        // generation 3: crashed after renaming some components, before the TOC
        Descriptor g3 = d.newDescriptor();
        Files.write(g3.path(Component.DATA), new byte[]{1, 2, 3});
        Files.write(g3.path(Component.INDEX), new byte[]{1});

        SSTableDirectory reopened = new SSTableDirectory(dir);
        List<Descriptor> live = reopened.cleanupAndList();
        assertEquals(List.of(new Descriptor(dir, 1)), live);
        assertFalse(Files.exists(g2.tmpPath(Component.DATA)));
        assertFalse(Files.exists(g3.path(Component.DATA)));
        assertFalse(Files.exists(g3.path(Component.INDEX)));
        try (var files = Files.list(dir)) {
            assertTrue(files.allMatch(f -> f.getFileName().toString().startsWith("sa-1-")));
        }
        assertEquals(4, reopened.newDescriptor().generation(), "generations are never reused");
        SSTableReader r = SSTableReader.open(live.get(0), KV);
        assertEquals(1, r.stats().partitionCount());
        r.close();
    }
}
