package io.sibyl.storage.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnDictionaryTest {

    /** A copy that is equal but not the same instance, as a name decoded from disk is. */
    private static String copy(String s) {
        return new String(s.toCharArray());
    }

    @Test
    void numbersNamesInFirstSeenOrderByValueBelowAndAboveTheIdentityScan() {
        ColumnDictionary d = new ColumnDictionary();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            names.add("c" + i);
        }
        for (int i = 0; i < names.size(); i++) {
            assertEquals(i, d.indexOf(names.get(i)));
            // Every name seen so far keeps its number, asked by the same instance or by an equal copy.
            for (int k = 0; k <= i; k++) {
                assertEquals(k, d.indexOf(names.get(k)));
                assertEquals(k, d.indexOf(copy(names.get(k))));
            }
            assertEquals(i + 1, d.size(), "no name numbered twice");
        }
        assertEquals(names, d.names());
    }

    @Test
    void aDictionaryReadBackNumbersLikeTheOneWritten() {
        for (int n : new int[] {3, 16, 17, 40}) {
            ColumnDictionary d = new ColumnDictionary();
            for (int i = 0; i < n; i++) {
                d.indexOf("col" + i);
            }
            DataOutputBuffer out = new DataOutputBuffer(256);
            d.write(out);
            ColumnDictionary back = ColumnDictionary.read(new DataInputBuffer(out.array(), 0, out.length()));
            assertEquals(d.names(), back.names());
            for (int i = 0; i < n; i++) {
                assertEquals(i, back.indexOf(copy("col" + i)));
                assertEquals("col" + i, back.name(i));
            }
            assertEquals(n, back.indexOf("new"), "a new name takes the next number");
        }
    }
}
