package io.switchboard.node;

import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** A node's {@code GET /metrics} over real HTTP, read as Prometheus text into series. */
final class Scrape {

  /** One line of the exposition: a metric name, its labels and its value. */
  record Series(String name, Map<String, String> labels, double value) {
  }

  final List<Series> series;

  private Scrape(List<Series> series) {
    this.series = series;
  }

  /** Scrapes the node listening on {@code port} once, asserting a 200. */
  static Scrape of(Vertx vertx, int port) {
    AdminClient.Response response = AdminClient.bearer(vertx, port, null).get("/metrics");
    assertEquals(200, response.status(), response.body());
    return parse(response.body());
  }

  /**
   * Scrapes until the sum of the series named {@code name} that have {@code labels} (name, value, name, value…)
   * passes {@code expected}, or fails after {@link TestClient#WAIT}: counters move after the frames a client sees.
   */
  static Scrape until(Vertx vertx, int port, String name, DoublePredicate expected, String... labels) {
    long deadline = System.nanoTime() + TestClient.WAIT.toNanos();
    while (true) {
      Scrape scrape = of(vertx, port);
      double value = scrape.sum(name, labels);
      if (expected.test(value)) {
        return scrape;
      }
      if (System.nanoTime() > deadline) {
        fail(name + " " + List.of(labels) + " is still " + value + " after " + TestClient.WAIT + ":\n" + scrape.lines(name));
      }
      pollAgain();
    }
  }

  /** Waits until the series named {@code name} with {@code labels} sum to exactly {@code expected}. */
  static Scrape untilEquals(Vertx vertx, int port, String name, double expected, String... labels) {
    return until(vertx, port, name, value -> value == expected, labels);
  }

  /** The sum of the series named {@code name} that have {@code labels}; 0 when there are none. */
  double sum(String name, String... labels) {
    return series.stream().filter(one -> one.name.equals(name) && matches(one, labels)).mapToDouble(Series::value).sum();
  }

  /** Whether any series is named {@code name}. */
  boolean has(String name) {
    return series.stream().anyMatch(one -> one.name.equals(name));
  }

  private String lines(String name) {
    StringBuilder text = new StringBuilder();
    series.stream().filter(one -> one.name.startsWith(name)).forEach(one -> text.append(one).append('\n'));
    return text.toString();
  }

  private static void pollAgain() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static boolean matches(Series series, String... labels) {
    for (int i = 0; i + 1 < labels.length; i += 2) {
      if (!labels[i + 1].equals(series.labels.get(labels[i]))) {
        return false;
      }
    }
    return true;
  }

  static Scrape parse(String text) {
    List<Series> series = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
      Map<String, String> labels = new HashMap<>();
      if (brace >= 0) {
        String inside = line.substring(brace + 1, line.lastIndexOf('}'));
        // label values here never hold '",' or escaped quotes
        for (String pair : inside.split("\",")) {
          if (pair.isEmpty()) {
            continue;
          }
          int equals = pair.indexOf('=');
          labels.put(pair.substring(0, equals), pair.substring(equals + 2).replaceAll("\"$", ""));
        }
      }
      String value = line.substring(space + 1);
      series.add(new Series(name, labels, value.equals("NaN") ? Double.NaN : Double.parseDouble(value)));
    }
    return new Scrape(series);
  }
}
