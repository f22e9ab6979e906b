package io.sibyl.verify.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import io.sibyl.verify.VerifyReport;
import io.sibyl.verify.VerifyRun;
import io.sibyl.verify.checker.CheckResult;
import io.sibyl.verify.nemesis.FaultWindow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's report into its directory: {@code summary.txt}, {@code summary.json}, one
 * {@code history-<workload>.jsonl} per workload, {@code latency.png} and {@code throughput.png}
 * ({@link Plots}), and {@code index.html} showing them.
 */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;

    public ReportWriter(Path dir) {
        this.dir = dir;
    }

    public void write(VerifyReport report) throws IOException {
        Files.createDirectories(dir);
        for (VerifyRun.WorkloadOutcome w : report.workloads()) {
            History.of(w.history()).writeJsonLines(dir.resolve("history-" + w.name() + ".jsonl"));
        }
        Files.writeString(dir.resolve("summary.txt"), report.summaryText(), StandardCharsets.UTF_8);
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary(report));
        Plots.latency(report, dir.resolve("latency.png"));
        Plots.throughput(report, dir.resolve("throughput.png"));
        Files.writeString(dir.resolve("index.html"), html(report), StandardCharsets.UTF_8);
    }

    static Map<String, Object> summary(VerifyReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", r.passed());
        m.put("seed", r.settings().seed());
        m.put("nodes", r.settings().targets().isEmpty() ? r.settings().nodes() : r.settings().targets().size());
        m.put("duration_s", r.settings().duration().toSeconds());
        m.put("nemesis", r.settings().nemesis());
        List<Map<String, Object>> faults = new ArrayList<>();
        for (FaultWindow f : r.faults()) {
            faults.add(Map.of("kind", f.kind(), "target", f.target(), "start_s", f.start() / 1e9, "end_s", f.end() / 1e9));
        }
        m.put("faults", faults);
        Map<String, Object> ws = new LinkedHashMap<>();
        for (VerifyRun.WorkloadOutcome w : r.workloads()) {
            Map<String, Object> wm = new LinkedHashMap<>();
            wm.put("ops", VerifyReport.outcomes(w.history()));
            List<Map<String, Object>> checks = new ArrayList<>();
            for (CheckResult c : w.results()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("checker", c.checker());
                cm.put("verdict", c.verdict().name());
                cm.put("figures", c.figures());
                cm.put("counter_example", c.counterExample());
                checks.add(cm);
            }
            wm.put("checks", checks);
            ws.put(w.name(), wm);
        }
        m.put("workloads", ws);
        return m;
    }

    private static String html(VerifyReport r) {
        String summary = r.summaryText().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>sibyl verify, seed " + r.settings().seed()
                + "</title>\n<style>body{font-family:sans-serif;margin:2em} pre{background:#f6f6f6;padding:1em}"
                + " .pass{color:#1a7f37} .fail{color:#cf222e}</style></head><body>\n"
                + "<h1>sibyl verify: <span class=\"" + (r.passed() ? "pass\">PASSED" : "fail\">FAILED") + "</span></h1>\n"
                + "<pre>" + summary + "</pre>\n"
                + "<h2>Latency (shaded: fault windows)</h2>\n<img src=\"latency.png\" alt=\"latency over time\">\n"
                + "<h2>Throughput</h2>\n<img src=\"throughput.png\" alt=\"throughput over time\">\n"
                + "<p>Histories: " + r.workloads().stream().map(w -> "<a href=\"history-" + w.name() + ".jsonl\">" + w.name() + "</a>")
                        .reduce((a, b) -> a + ", " + b).orElse("none")
                + "; <a href=\"summary.json\">summary.json</a></p>\n</body></html>\n";
    }
}
