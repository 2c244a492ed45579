package org.prefopt.launcher.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.prefopt.api.io.AtomicFiles;

/**
 * PNG charts for reports (XChart), each with a title, axis titles and a legend, written atomically. XChart puts a
 * tick at every n-th point when all x values are equally spaced (crowded labels for per-step series); plots of
 * per-step metrics therefore add their centred moving average, whose x values are not, and get round ticks.
 */
public final class Charts {

    public static final int WIDTH = 800;
    public static final int HEIGHT = 480;

    static {
        // reports are written on servers without a display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {
    }

    /**
     * A named series of a line chart.
     *
     * @param errors half-widths of error bars per point, or null
     * @param markers draw a marker on every point (sparse series such as evaluations)
     */
    public record Line(String name, double[] x, double[] y, double[] errors, boolean markers) {
    }

    /** A named series of a grouped bar chart: one value (and error bar half-width) per category. */
    public record Bars(String name, List<Double> values, List<Double> errors) {
    }

    public static void line(Path png, String title, String xTitle, String yTitle, List<Line> lines) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal)
                .setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("#");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Line l : lines) {
            for (double v : l.x()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (max > min) {
            // round axis ends to a power of ten of the range, so the ticks land on round steps
            double unit = Math.pow(10, Math.floor(Math.log10(max - min)));
            chart.getStyler().setXAxisMin(Math.floor(min / unit) * unit);
            chart.getStyler().setXAxisMax(Math.ceil(max / unit) * unit);
        }
        for (Line l : lines) {
            if (l.x().length == 0) {
                continue;
            }
            XYSeries s = l.errors() == null ? chart.addSeries(l.name(), l.x(), l.y())
                    : chart.addSeries(l.name(), l.x(), l.y(), l.errors());
            if (!l.markers()) {
                s.setMarker(SeriesMarkers.NONE);
            }
        }
        write(png, chart);
    }

    public static void bars(Path png, String title, String xTitle, String yTitle, List<String> categories,
                            List<Bars> series) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal)
                .setChartBackgroundColor(java.awt.Color.WHITE);
        for (Bars b : series) {
            chart.addSeries(b.name(), categories, b.values(), b.errors());
        }
        write(png, chart);
    }

    private static void write(Path png, Chart<?, ?> chart) {
        try {
            AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + png + ": " + e.getMessage(), e);
        }
    }
}
