package dev.httpcache.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * A progress bar on standard error for long operations (export, import, purge), drawn only when the
 * command runs in a terminal; otherwise, and in tests, it does nothing, so that scripts and logs
 * see no carriage returns.
 */
final class Progress implements AutoCloseable {
  private final @Nullable ProgressBar bar;

  private Progress(@Nullable ProgressBar bar) {
    this.bar = bar;
  }

  /**
   * Starts a bar for {@code task} over {@code total} steps (negative when unknown), when standard
   * input and output are a terminal.
   */
  static Progress start(String task, long total) {
    if (System.console() == null) {
      return new Progress(null);
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(200)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
    return new Progress(bar);
  }

  /** Moves the bar one step on. */
  void step() {
    if (bar != null) {
      bar.step();
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
