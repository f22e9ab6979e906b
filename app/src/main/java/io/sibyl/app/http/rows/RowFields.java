package io.sibyl.app.http.rows;

import java.util.Arrays;

/**
 * A JSON row's fields in the order read, by name or by column: a repeated key keeps its first position
 * and its last value, as a parsed map does. Rows have few fields, so a key is found by a linear scan
 * (identity first: parsers hand out canonical names and columns).
 */
final class RowFields<K> {

    private Object[] keys = new Object[16];
    private Object[] values = new Object[16];
    private int n;

    void put(K key, Object value) {
        for (int i = 0; i < n; i++) {
            if (keys[i] == key || keys[i].equals(key)) {
                values[i] = value;
                return;
            }
        }
        if (n == keys.length) {
            keys = Arrays.copyOf(keys, n * 2);
            values = Arrays.copyOf(values, n * 2);
        }
        keys[n] = key;
        values[n] = value;
        n++;
    }

    int size() {
        return n;
    }

    @SuppressWarnings("unchecked")
    K key(int i) {
        return (K) keys[i];
    }

    Object value(int i) {
        return values[i];
    }
}
