package dev.httpcache.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording of a benchmark: the
 * methods that were on top of the stack most often ("self"), and those that were anywhere on it
 * ("total"), for the threads whose name contains a filter ({@code jmh-worker} by default, JMH's
 * benchmark threads: the measured code). Lambda and generated frames are kept as they are.
 *
 * <p>Run with one command:
 *
 * <pre>
 * java -cp httpcache-benchmarks/target/benchmarks.jar dev.httpcache.benchmarks.JfrTop FILE.jfr [20] [thread-filter]
 * </pre>
 */
public final class JfrTop {
  private JfrTop() {}

  /**
   * Prints the summary.
   *
   * @param args the recording, then optionally how many methods to list and a thread-name filter
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrTop FILE.jfr [TOP] [THREAD_FILTER]");
      System.exit(2);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    String filter = args.length > 2 ? args[2] : "jmh-worker";
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedThread thread = event.getThread("sampledThread");
      String name = thread == null ? "" : String.valueOf(thread.getJavaName());
      RecordedStackTrace stack = event.getStackTrace();
      if (!name.contains(filter) || stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(method(frames.get(0)), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String m = method(frame);
        if (seen.add(m)) {
          total.merge(m, 1, Integer::sum);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%d samples of threads matching '%s'%n", samples, filter);
    print("self (top of stack)", self, samples, top);
    print("total (anywhere on the stack)", total, samples, top);
  }

  private static String method(RecordedFrame frame) {
    RecordedMethod method = frame.getMethod();
    if (method == null) {
      return "<unknown>";
    }
    return method.getType().getName() + "." + method.getName();
  }

  private static void print(String title, Map<String, Integer> counts, int samples, int top) {
    System.out.printf(Locale.ROOT, "%n%s%n", title);
    counts.entrySet().stream()
        .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "%6.1f %%  %6d  %s%n",
                    100.0 * e.getValue() / Math.max(1, samples),
                    e.getValue(),
                    e.getKey()));
  }
}
