package io.switchboard.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A condition on a message's text: {@code {"keywords": [...], "regex": "...", "class": "closing"}}. Every part
 * given must hold; an empty object holds for any text. Keywords and the regex read the first characters of a
 * message only ({@link ContentCost}).
 */
public final class ContentMatch {

  static final List<String> KEYS = List.of("keywords", "regex", "class");
  static final int MAX_KEYWORD = 200;
  static final int MAX_REGEX = 1000;

  private final List<String> keywords;
  /** The keywords in the form text is compared in ({@link Text#words}), without repeats: read once, not per message. */
  private final List<String> readKeywords;
  private final Pattern regex;
  private final boolean closing;

  /**
   * @param keywords any of these words or phrases, ignoring case, as whole words (docs/RULES.md); null when not given
   * @param regex    an RE2/J pattern found anywhere in the text, case-sensitive unless {@code (?i)}; null when not given
   * @param closing  the text is a gratuitous end-of-conversation message ({@link ClosingClass})
   */
  public ContentMatch(List<String> keywords, Pattern regex, boolean closing) {
    this.keywords = keywords == null ? null : List.copyOf(keywords);
    this.readKeywords = keywords == null ? null : keywords.stream().map(Text::words).distinct().toList();
    this.regex = regex;
    this.closing = closing;
  }

  public List<String> keywords() {
    return keywords;
  }

  public Pattern regex() {
    return regex;
  }

  public boolean closing() {
    return closing;
  }

  /** The cheaper parts first: the closing class reads at most a few hundred characters. */
  boolean matches(MessageText text) {
    return (!closing || text.isClosing())
        && (readKeywords == null || readKeywords.stream().anyMatch(text::containsWord))
        && (regex == null || regex.matcher(text.read()).find());
  }

  /** What matching costs per character read ({@link ContentCost}). */
  long cost() {
    return (readKeywords == null ? 0 : ContentCost.keywords(readKeywords.size()))
        + (regex == null ? 0 : ContentCost.regex(RegexSize.of(regex.pattern())));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (keywords != null) {
      json.put("keywords", new JsonArray(new ArrayList<>(keywords)));
    }
    if (regex != null) {
      json.put("regex", regex.pattern());
    }
    if (closing) {
      json.put("class", "closing");
    }
    return json;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ContentMatch that && Objects.equals(keywords, that.keywords)
        && Objects.equals(regex, that.regex) && closing == that.closing;
  }

  @Override
  public int hashCode() {
    return Objects.hash(keywords, regex, closing);
  }

  @Override
  public String toString() {
    return "ContentMatch" + toJson().encode();
  }

  static ContentMatch fromJson(Fields json) {
    List<String> keywords = null;
    if (json.has("keywords")) {
      // Blank as the text is read: a keyword of no-break spaces would be found in every message.
      keywords = json.strings("keywords", keyword -> !Text.words(keyword).isEmpty() && keyword.length() <= MAX_KEYWORD,
          "a keyword of 1 to " + MAX_KEYWORD + " characters");
      json.budget.spendKeywords(keywords.stream().mapToInt(String::length).sum(), json.path("keywords"));
    }
    Object contentClass = json.value("class");
    if (contentClass != null && !"closing".equals(contentClass)) {
      throw json.invalid("class", Fields.show(contentClass) + " is not a content class (closing)");
    }
    return new ContentMatch(keywords, regex(json), contentClass != null);
  }

  /** Sizes the pattern before compiling it: compiling alone can exhaust the heap ({@link RegexSize}). */
  private static Pattern regex(Fields json) {
    String source = json.optionalString("regex");
    if (source == null) {
      return null;
    }
    if (source.length() > MAX_REGEX) {
      throw json.invalid("regex", "is longer than " + MAX_REGEX + " characters");
    }
    json.budget.spendRegex(RegexSize.of(source), json.path("regex"));
    try {
      return Pattern.compile(source);
    } catch (PatternSyntaxException e) {
      throw json.invalid("regex", Fields.show(source) + " is not a valid regular expression: "
          + e.getDescription() + " at " + Fields.show(e.getPattern()));
    }
  }
}
