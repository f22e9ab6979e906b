package io.sibyl.verify.checker;

import java.util.Map;

/**
 * What one checker concluded: its verdict, figures (counts, times) for the report, and on INVALID a
 * counter-example an operator can read without the checker's source.
 */
public record CheckResult(String checker, Verdict verdict, Map<String, Object> figures, String counterExample) {
    public boolean passed() {
        return verdict == Verdict.VALID;
    }
}
