package dev.httpcache.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * Draws PNG charts from JMH result files ({@code -rf json}) with JFreeChart, headless:
 *
 * <ul>
 *   <li>sample-time benchmarks ({@code HitBenchmark}, {@code MissBenchmark}, {@code
 *       RevalidationBenchmark}): one horizontal bar per client, its length the median ({@code
 *       p0.50}), with a whisker from the median to {@code p0.90}; one chart per benchmark class and
 *       body size;
 *   <li>throughput benchmarks ({@code HitThroughputBenchmark}): one bar per client, operations per
 *       second, with JMH's 99.9 % confidence interval of the mean as the error bar; one chart per
 *       body size;
 *   <li>{@code ScaleBenchmark}: the median and {@code p0.90} against the number of entries, one
 *       line per storage, on a logarithmic scale.
 * </ul>
 *
 * <p>Run with one command (each chart's file name is printed):
 *
 * <pre>
 * java -Djava.awt.headless=true -cp httpcache-benchmarks/target/benchmarks.jar \
 *     dev.httpcache.benchmarks.Charts docs/images results/*.json
 * </pre>
 */
public final class Charts {
  private static final int WIDTH = 1000;
  private static final Color MEDIAN = new Color(0x3b6ea5);
  private static final Color WHISKER = new Color(0x202020);

  private Charts() {}

  /** One result of a JMH file. */
  record Result(
      String benchmarkClass,
      String method,
      Map<String, String> params,
      String mode,
      double score,
      double error,
      String unit,
      Map<String, Double> percentiles) {

    /** The client it measures: the method and, where there is one, the client parameter. */
    String label() {
      String client = params.get("client");
      String storage = params.get("storage");
      String label = method;
      if (client != null) {
        label = method + " " + client;
      } else if (storage != null) {
        label = method + " " + storage;
      }
      return label;
    }

    double percentile(String p) {
      Double value = percentiles.get(p);
      if (value == null) {
        throw new IllegalArgumentException("no percentile " + p + " for " + this);
      }
      return value;
    }
  }

  /**
   * Reads the result files and writes the charts.
   *
   * @param args the output folder, then one or more JMH JSON result files
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: Charts OUTPUT_FOLDER RESULT.json...");
      System.exit(2);
    }
    System.setProperty("java.awt.headless", "true");
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    List<Result> results = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      results.addAll(read(Path.of(args[i])));
    }
    for (Path written : draw(results, out)) {
      System.out.println(written);
    }
  }

  /** Reads one JMH JSON result file. */
  static List<Result> read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<Result> results = new ArrayList<>();
    for (JsonNode run : root) {
      String benchmark = run.path("benchmark").asText();
      int dot = benchmark.lastIndexOf('.');
      String className = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
      Map<String, String> params = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = run.path("params").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> param = it.next();
        params.put(param.getKey(), param.getValue().asText());
      }
      JsonNode metric = run.path("primaryMetric");
      Map<String, Double> percentiles = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = metric.path("scorePercentiles").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        percentiles.put(p.getKey(), p.getValue().asDouble());
      }
      double error = metric.path("scoreError").asDouble(Double.NaN);
      results.add(
          new Result(
              className,
              benchmark.substring(dot + 1),
              params,
              run.path("mode").asText(),
              metric.path("score").asDouble(),
              error,
              metric.path("scoreUnit").asText(),
              percentiles));
    }
    return results;
  }

  /** Draws every chart the results make, and returns the files written. */
  static List<Path> draw(List<Result> results, Path out) throws IOException {
    Map<String, List<Result>> groups = new TreeMap<>();
    for (Result r : results) {
      String size = r.params().get("size");
      String group = r.benchmarkClass() + (size == null ? "" : "-" + size);
      groups.computeIfAbsent(group, g -> new ArrayList<>()).add(r);
    }
    List<Path> written = new ArrayList<>();
    for (Map.Entry<String, List<Result>> group : groups.entrySet()) {
      List<Result> members = group.getValue();
      Result first = members.get(0);
      String size = first.params().get("size");
      String sizeText = size == null ? "" : ", " + bytes(Integer.parseInt(size)) + " body";
      JFreeChart chart;
      if (first.benchmarkClass().equals("ScaleBenchmark")) {
        chart = scale(members);
      } else if (first.mode().equals("sample")) {
        chart =
            latency(
                title(first.benchmarkClass()) + sizeText + ": median, whisker to p0.90",
                first.unit(),
                members);
      } else {
        chart =
            throughput(
                title(first.benchmarkClass()) + sizeText + ": mean, error bar 99.9 % CI",
                first.unit(),
                members);
      }
      Path file = out.resolve(fileName(group.getKey()) + ".png");
      int height =
          first.benchmarkClass().equals("ScaleBenchmark") ? 500 : 140 + 34 * members.size();
      ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, height);
      written.add(file);
    }
    return written;
  }

  private static String title(String benchmarkClass) {
    switch (benchmarkClass) {
      case "HitBenchmark":
        return "Cache hit latency, 1 thread";
      case "HitThroughputBenchmark":
        return "Cache hits per second, 8 threads";
      case "MissBenchmark":
        return "Stored miss latency, 1 thread";
      case "RevalidationBenchmark":
        return "Revalidation (304) latency, 1 thread";
      default:
        return benchmarkClass;
    }
  }

  private static String fileName(String group) {
    return group
        .replace("HitThroughputBenchmark", "hit-throughput")
        .replace("HitBenchmark", "hit-latency")
        .replace("MissBenchmark", "miss-latency")
        .replace("RevalidationBenchmark", "revalidation-latency")
        .replace("ScaleBenchmark", "scale")
        .toLowerCase(Locale.ROOT);
  }

  private static String bytes(int size) {
    return size % 1024 == 0 ? size / 1024 + " KB" : size + " B";
  }

  /** Bars of medians with whiskers to p0.90, fastest first. */
  static JFreeChart latency(String title, String unit, List<Result> members) {
    List<Result> sorted = new ArrayList<>(members);
    sorted.sort((a, b) -> Double.compare(a.percentile("50.0"), b.percentile("50.0")));
    DefaultCategoryDataset medians = new DefaultCategoryDataset();
    double[] upper = new double[sorted.size()];
    for (int i = 0; i < sorted.size(); i++) {
      Result r = sorted.get(i);
      medians.addValue(r.percentile("50.0"), "median (p0.50)", r.label());
      upper[i] = r.percentile("90.0");
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            title,
            null,
            unit.replace("us/op", "µs per operation"),
            medians,
            PlotOrientation.HORIZONTAL,
            false,
            false,
            false);
    CategoryPlot plot = chart.getCategoryPlot();
    WhiskerBarRenderer renderer = new WhiskerBarRenderer(upper);
    style(renderer);
    plot.setRenderer(renderer);
    styleAxes(plot);
    return chart;
  }

  /** Bars of means with JMH's error as error bars, highest first. */
  static JFreeChart throughput(String title, String unit, List<Result> members) {
    List<Result> sorted = new ArrayList<>(members);
    sorted.sort((a, b) -> Double.compare(b.score(), a.score()));
    DefaultStatisticalCategoryDataset dataset = new DefaultStatisticalCategoryDataset();
    for (Result r : sorted) {
      dataset.add(r.score(), Double.isNaN(r.error()) ? 0 : r.error(), "mean", r.label());
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            title,
            null,
            unit.replace("ops/s", "operations per second"),
            dataset,
            PlotOrientation.HORIZONTAL,
            false,
            false,
            false);
    CategoryPlot plot = chart.getCategoryPlot();
    StatisticalBarRenderer renderer = new StatisticalBarRenderer();
    style(renderer);
    renderer.setErrorIndicatorPaint(WHISKER);
    renderer.setDefaultItemLabelGenerator(
        new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("#,##0")));
    renderer.setDefaultItemLabelsVisible(true);
    // The value at the end of the error bar, to its right, where a short bar leaves room.
    renderer.setDefaultPositiveItemLabelPosition(
        new org.jfree.chart.labels.ItemLabelPosition(
            org.jfree.chart.labels.ItemLabelAnchor.OUTSIDE3,
            org.jfree.chart.ui.TextAnchor.CENTER_LEFT));
    renderer.setItemLabelAnchorOffset(4);
    plot.setRenderer(renderer);
    plot.getRangeAxis().setUpperMargin(0.15);
    styleAxes(plot);
    return chart;
  }

  /** Median and p0.90 against the number of entries, per storage. */
  static JFreeChart scale(List<Result> members) {
    List<Result> sorted = new ArrayList<>(members);
    sorted.sort(
        (a, b) ->
            Integer.compare(
                Integer.parseInt(a.params().get("entries")),
                Integer.parseInt(b.params().get("entries"))));
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (Result r : sorted) {
      String entries =
          String.format(Locale.ROOT, "%,d", Integer.parseInt(r.params().get("entries")));
      String storage = r.params().get("storage");
      dataset.addValue(r.percentile("50.0"), storage + " median", entries);
      dataset.addValue(r.percentile("90.0"), storage + " p0.90", entries);
    }
    JFreeChart chart =
        ChartFactory.createLineChart(
            "Hit latency on random keys against the number of entries (1 KB bodies)",
            "entries in the cache",
            "µs per hit (log scale)",
            dataset,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    CategoryPlot plot = chart.getCategoryPlot();
    LogAxis axis = new LogAxis("µs per hit (log scale)");
    axis.setSmallestValue(0.1);
    axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
    plot.setRangeAxis(axis);
    LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
    for (int row = 0; row < dataset.getRowCount(); row++) {
      String key = String.valueOf(dataset.getRowKey(row));
      renderer.setSeriesPaint(row, key.startsWith("sqlite") ? MEDIAN : new Color(0xc0504d));
      if (key.endsWith("p0.90")) {
        renderer.setSeriesStroke(
            row,
            new BasicStroke(
                1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
      } else {
        renderer.setSeriesStroke(row, new BasicStroke(2.5f));
      }
    }
    renderer.setDefaultItemLabelGenerator(
        new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("0.0")));
    renderer.setDefaultItemLabelsVisible(true);
    plot.setRenderer(renderer);
    styleAxes(plot);
    return chart;
  }

  private static void style(BarRenderer renderer) {
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, MEDIAN);
    renderer.setMaximumBarWidth(0.6);
    renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
  }

  private static void styleAxes(CategoryPlot plot) {
    plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    CategoryAxis domain = plot.getDomainAxis();
    domain.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    domain.setMaximumCategoryLabelWidthRatio(0.5f);
  }

  /**
   * A bar renderer that also draws, for each bar, a whisker from the bar's end to a value of its
   * own (p0.90 here): JFreeChart's statistical renderers draw symmetric error bars only.
   */
  static final class WhiskerBarRenderer extends BarRenderer {
    private static final long serialVersionUID = 1L;
    private final double[] upper;

    WhiskerBarRenderer(double[] upper) {
      this.upper = upper.clone();
    }

    @Override
    public void drawItem(
        Graphics2D g2,
        CategoryItemRendererState state,
        Rectangle2D dataArea,
        CategoryPlot plot,
        CategoryAxis domainAxis,
        ValueAxis rangeAxis,
        CategoryDataset dataset,
        int row,
        int column,
        int pass) {
      super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
      Number value = dataset.getValue(row, column);
      if (pass != getPassCount() - 1 || value == null || column >= upper.length) {
        return;
      }
      RectangleEdge domainEdge = plot.getDomainAxisEdge();
      RectangleEdge rangeEdge = plot.getRangeAxisEdge();
      double middle =
          domainAxis.getCategoryMiddle(column, dataset.getColumnCount(), dataArea, domainEdge);
      double from = rangeAxis.valueToJava2D(value.doubleValue(), dataArea, rangeEdge);
      double to = rangeAxis.valueToJava2D(upper[column], dataArea, rangeEdge);
      double cap = Math.max(3, state.getBarWidth() / 4);
      g2.setPaint(WHISKER);
      g2.setStroke(new BasicStroke(1.5f));
      String label =
          String.format(
              Locale.ROOT, "%s  (p0.90 %s)", number(value.doubleValue()), number(upper[column]));
      g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      if (plot.getOrientation() == PlotOrientation.HORIZONTAL) {
        g2.draw(new Line2D.Double(from, middle, to, middle));
        g2.draw(new Line2D.Double(to, middle - cap, to, middle + cap));
        g2.drawString(label, (float) (Math.max(from, to) + 6), (float) (middle + 4));
      } else {
        g2.draw(new Line2D.Double(middle, from, middle, to));
        g2.draw(new Line2D.Double(middle - cap, to, middle + cap, to));
      }
    }

    private static String number(double v) {
      return String.format(Locale.ROOT, v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%,.0f", v);
    }

    @Override
    public org.jfree.data.Range findRangeBounds(CategoryDataset dataset) {
      org.jfree.data.Range bars = super.findRangeBounds(dataset);
      double max = 0;
      for (double u : upper) {
        max = Math.max(max, u);
      }
      // Room on the right for the labels drawn after the whiskers.
      return new org.jfree.data.Range(
          0, 1.35 * Math.max(bars == null ? 0 : bars.getUpperBound(), max));
    }
  }
}
