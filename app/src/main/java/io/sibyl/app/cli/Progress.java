package io.sibyl.app.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long-running verb: a progress bar (me.tongfei:progressbar) when the output is a terminal,
 * plain lines (one per change) otherwise, so logs and tests read "step: done/total".
 */
final class Progress implements AutoCloseable {
    private final PrintStream out;
    private final String task;
    private final ProgressBar bar;
    private String lastLine = "";
    private boolean closed;

    private Progress(PrintStream out, String task, ProgressBar bar) {
        this.out = out;
        this.task = task;
        this.bar = bar;
    }

    /** A bar on a terminal (when {@code out} is System.out and a console is attached), else plain lines. */
    static Progress start(PrintStream out, String task, String unit) {
        boolean terminal = out == System.out && System.console() != null;
        ProgressBar bar = terminal ? new ProgressBarBuilder().setTaskName(task).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, 1).setInitialMax(1).continuousUpdate().build() : null;
        return new Progress(out, task, bar);
    }

    /** A bar is drawn (on the console): the caller's own progress lines would only clutter it. */
    boolean isBar() {
        return bar != null;
    }

    /** Reports {@code done} of {@code total} and what is going on now. */
    void update(long done, long total, String detail) {
        if (bar != null) {
            bar.maxHint(Math.max(total, 1));
            bar.stepTo(done);
            bar.setExtraMessage(detail);
            return;
        }
        String line = task + ": " + done + "/" + total + (detail.isEmpty() ? "" : " " + detail);
        if (!line.equals(lastLine)) {
            out.println(line);
            lastLine = line;
        }
    }

    @Override
    public void close() {
        if (bar != null && !closed) {
            closed = true;
            bar.close();
        }
    }
}
