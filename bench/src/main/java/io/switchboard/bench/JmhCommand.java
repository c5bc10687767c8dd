package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.Collection;

/**
 * {@code jmh [JMH options]}: runs the JMH benchmarks (by default those matching {@code PolicyChain}) with JMH's
 * own command line, e.g. {@code -f 1 -wi 2 -i 3 -p members=100}. JMH's progress goes to stderr; the scores come
 * out as one JSON object on stdout like every other scenario's.
 */
final class JmhCommand {

  private JmhCommand() {
  }

  static JsonObject run(String[] args) throws CommandLineOptionException, RunnerException {
    CommandLineOptions command = new CommandLineOptions(args);
    ChainedOptionsBuilder builder = new OptionsBuilder().parent(command);
    if (command.getIncludes().isEmpty()) {
      builder.include("PolicyChain");
    }
    org.openjdk.jmh.runner.options.Options options = builder.build();
    VerboseMode verbosity = options.verbosity().orElse(VerboseMode.NORMAL);
    Collection<RunResult> results = new Runner(options, OutputFormatFactory.createFormatInstance(System.err, verbosity)).run();
    JsonArray scores = new JsonArray();
    for (RunResult run : results) {
      Result<?> primary = run.getPrimaryResult();
      JsonObject params = new JsonObject();
      run.getParams().getParamsKeys().forEach(key -> params.put(key, run.getParams().getParam(key)));
      String benchmark = run.getParams().getBenchmark();
      scores.add(new JsonObject()
          .put("benchmark", benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1))
          .put("params", params)
          .put("mode", run.getParams().getMode().shortLabel())
          .put("score", round(primary.getScore()))
          .put("error", Double.isNaN(primary.getScoreError()) ? null : round(primary.getScoreError()))
          .put("unit", primary.getScoreUnit())
          .put("samples", primary.getSampleCount()));
    }
    return new JsonObject().put("scenario", "jmh").put("results", scores);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
