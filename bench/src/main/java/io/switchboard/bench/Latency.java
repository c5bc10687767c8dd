package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency distribution recorded from any thread, in microseconds (HdrHistogram, 3 significant digits), and
 * reported in milliseconds.
 */
final class Latency {

  private final Recorder recorder = new Recorder(3);

  void recordNanos(long nanos) {
    recorder.recordValue(Math.max(0, nanos / 1000));
  }

  /** Forgets what was recorded so far (the end of a warm-up). */
  void reset() {
    recorder.reset();
  }

  /** Count, mean and percentiles in ms of what was recorded since the last reset; call once, at the end. */
  JsonObject toJson() {
    Histogram histogram = recorder.getIntervalHistogram();
    JsonObject json = new JsonObject().put("count", histogram.getTotalCount());
    if (histogram.getTotalCount() == 0) {
      return json;
    }
    return json.put("mean", ms(histogram.getMean()))
        .put("p50", ms(histogram.getValueAtPercentile(50)))
        .put("p90", ms(histogram.getValueAtPercentile(90)))
        .put("p99", ms(histogram.getValueAtPercentile(99)))
        .put("p99.9", ms(histogram.getValueAtPercentile(99.9)))
        .put("max", ms(histogram.getMaxValue()));
  }

  private static double ms(double micros) {
    return Math.round(micros) / 1000.0;
  }
}
