package io.kasha.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** The benchmark report's charts, drawn with JFreeChart and written as SVG with JFreeSVG. */
final class Charts {

  private static final int WIDTH = 720;
  private static final int HEIGHT = 400;

  private Charts() {}

  /** One line per series of (x, y) points; {@code logX} for sizes spanning decades. */
  static String lines(final String title, final String xLabel, final String yLabel,
      final Map<String, List<double[]>> series, final boolean logX) {
    final XYSeriesCollection data = new XYSeriesCollection();
    series.forEach((name, points) -> {
      final XYSeries line = new XYSeries(name, false, true);
      points.forEach(p -> line.add(p[0], p[1]));
      data.addSeries(line);
    });
    final JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
        true, false, false);
    final XYPlot plot = chart.getXYPlot();
    if (logX) {
      final LogarithmicAxis axis = new LogarithmicAxis(xLabel);
      axis.setAllowNegativesFlag(false);
      plot.setDomainAxis(axis);
    }
    final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    return svg(style(chart));
  }

  /** Grouped bars: {@code values.get(group).get(category)}. */
  static String bars(final String title, final String categoryLabel, final String valueLabel,
      final Map<String, Map<String, Double>> values) {
    final DefaultCategoryDataset data = new DefaultCategoryDataset();
    values.forEach((group, byCategory) -> byCategory.forEach((category, value) -> data.addValue(value, group, category)));
    final JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data,
        PlotOrientation.VERTICAL, true, false, false);
    final CategoryPlot plot = chart.getCategoryPlot();
    plot.getRangeAxis().setUpperMargin(0.1);
    return svg(style(chart));
  }

  private static JFreeChart style(final JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    chart.getPlot().setBackgroundPaint(new Color(248, 248, 248));
    return chart;
  }

  private static String svg(final JFreeChart chart) {
    final SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
    return g2.getSVGDocument();
  }
}
