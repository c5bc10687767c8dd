package io.switchboard.store;

import io.switchboard.conversation.TranscriptEntry;

import java.util.List;

/** A page of a transcript, oldest first, and whether messages follow the page's last one. */
public record TranscriptPage(List<TranscriptEntry> entries, boolean more) {

  public TranscriptPage {
    entries = List.copyOf(entries);
  }

  /** The page of at most {@code limit} of {@code visible} (every visible entry after the page's start, in order). */
  public static TranscriptPage of(List<TranscriptEntry> visible, int limit) {
    return visible.size() > limit ? new TranscriptPage(visible.subList(0, limit), true) : new TranscriptPage(visible, false);
  }
}
