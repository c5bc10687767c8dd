package io.switchboard.router;

import io.switchboard.conversation.TraceEntry;

import java.util.List;

/** The outcome of a policy chain: the member selected (null when every step passed), the step that chose it, the trace. */
public record Selection(String selected, String step, List<TraceEntry> trace) {

  public Selection {
    trace = List.copyOf(trace);
  }
}
