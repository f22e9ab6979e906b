package io.sibyl.verify.report;

import io.sibyl.verify.History;
import io.sibyl.verify.Op;
import io.sibyl.verify.VerifyReport;
import io.sibyl.verify.VerifyRun;
import io.sibyl.verify.nemesis.FaultWindow;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's charts, drawn by JFreeChart as Jepsen draws them: ops over time, fault windows shaded. */
final class Plots {
    private static final Map<String, Color> FAULT_COLORS = Map.of(
            "kill", new Color(220, 50, 50, 50), "restart", new Color(220, 140, 40, 50),
            "pause", new Color(60, 90, 220, 50), "partition", new Color(150, 60, 180, 50),
            "topology", new Color(110, 110, 110, 40));

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /** Each completed op at (invocation time, latency), a series per workload and outcome, latency on a log axis. */
    static void latency(VerifyReport r, Path file) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (VerifyRun.WorkloadOutcome w : r.workloads()) {
            Map<String, XYSeries> series = new TreeMap<>();
            for (History.Pair p : History.pairs(w.history())) {
                if (p.end() == Long.MAX_VALUE) {
                    continue;
                }
                String name = w.name() + " " + p.completion().type().name().toLowerCase();
                series.computeIfAbsent(name, n -> new XYSeries(n, false, true))
                        .add(p.start() / 1e9, Math.max(0.1, (p.end() - p.start()) / 1e6));
            }
            series.values().forEach(data::addSeries);
        }
        JFreeChart chart = ChartFactory.createScatterPlot("Latency, seed " + r.settings().seed(), "time (s)", "latency (ms)",
                data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogarithmicAxis y = new LogarithmicAxis("latency (ms)");
        y.setAllowNegativesFlag(false);
        plot.setRangeAxis(y);
        shadeFaults(plot, r);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1200, 600);
    }

    /** Completed ops per second, a line per workload and outcome. */
    static void throughput(VerifyReport r, Path file) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (VerifyRun.WorkloadOutcome w : r.workloads()) {
            Map<String, TreeMap<Long, Integer>> perSecond = new TreeMap<>();
            long last = 0;
            for (Op op : w.history()) {
                if (!op.isInvoke()) {
                    long sec = op.time() / 1_000_000_000L;
                    last = Math.max(last, sec);
                    perSecond.computeIfAbsent(w.name() + " " + op.type().name().toLowerCase(), k -> new TreeMap<>())
                            .merge(sec, 1, Integer::sum);
                }
            }
            for (Map.Entry<String, TreeMap<Long, Integer>> e : perSecond.entrySet()) {
                XYSeries s = new XYSeries(e.getKey());
                for (long sec = 0; sec <= last; sec++) {
                    s.add(sec, e.getValue().getOrDefault(sec, 0));
                }
                data.addSeries(s);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Throughput, seed " + r.settings().seed(), "time (s)",
                "completed ops / s", data, PlotOrientation.VERTICAL, true, false, false);
        shadeFaults(chart.getXYPlot(), r);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1200, 600);
    }

    private static void shadeFaults(XYPlot plot, VerifyReport r) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (FaultWindow f : r.faults()) {
            IntervalMarker m = new IntervalMarker(f.start() / 1e9, f.end() / 1e9);
            m.setPaint(FAULT_COLORS.getOrDefault(f.kind(), new Color(128, 128, 128, 50)));
            m.setLabel(f.kind() + " " + f.target());
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(m, org.jfree.chart.ui.Layer.BACKGROUND);
        }
    }
}
