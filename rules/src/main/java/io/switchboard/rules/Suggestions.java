package io.switchboard.rules;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The adaptive manager (docs/RULES.md § "Suggestions"): from how a user said it wanted the messages it received
 * handled ({@link Feedback}) and from what it was seen to do ({@link Observation}: which messages it answered, how
 * soon, in which status), the handling rules it would likely want, with the evidence. Pure: the caller keeps the
 * feedback, the observations and the dismissed suggestions, passes the clock, and asks again whenever they change.
 *
 * <p>Every pattern is proposed when at least {@link #MIN_SUPPORT} of its messages agree and they are at least
 * {@link #MIN_CONFIDENCE} of the pattern's messages; never when the user dismissed it, nor when its rule (same
 * {@code when} and {@code then}) is already in the user's document or in the server's defaults that apply to it.
 */
public final class Suggestions {

  /** How many messages of one pattern must agree. */
  public static final int MIN_SUPPORT = 5;
  /** Which share of a pattern's messages must agree. */
  public static final double MIN_CONFIDENCE = 0.8;
  /** The wishes a client may give, in the order that breaks a tie. */
  public static final List<String> WISHES = List.of("popup", "silent", "none", "hold");
  /** An answer at most this long after the message is an answer "within a minute". */
  public static final Duration QUICK_ANSWER = Duration.ofMinutes(1);
  /** A message the user sent nothing after in its conversation for this long is unanswered. */
  public static final Duration ANSWER_WINDOW = Duration.ofHours(4);
  /** How soon after the user's own closing a closing is the seed's gratuitous one. */
  public static final Duration AFTER_OWN_CLOSING = Duration.ofMinutes(10);
  /** A hold for every sender needs agreeing messages from at least this many senders. */
  public static final int GENERAL_HOLD_SENDERS = 2;
  /** A keyword needs agreeing messages from at least this many senders (one sender is the sender's pattern). */
  public static final int KEYWORD_SENDERS = 2;
  /** Most keywords proposed at once. */
  public static final int MAX_KEYWORD_SUGGESTIONS = 5;
  /** Most words of a message kept with its feedback, and their lengths: shorter words say too little. */
  public static final int MAX_WORDS = 16;
  public static final int MIN_WORD_CHARS = 3;
  public static final int MAX_WORD_CHARS = 40;
  /** The states a hold is learnt for: a status, and the activity the seed names. */
  static final String BUSY = "busy";
  static final String PRESENTING = "presenting";
  private static final List<String> HOLD_STATES = List.of(BUSY, PRESENTING);
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}\\p{M}]+");

  private Suggestions() {
  }

  /**
   * The user said it wanted a message handled so.
   *
   * @param sender  the sender as the user saw it
   * @param closing whether the message is a closing ({@link ClosingClass})
   * @param words   the message's words that could be keywords ({@link #words})
   * @param wanted  one of {@link #WISHES}
   * @param at      when the user said so (epoch ms)
   */
  public record Feedback(String sender, boolean closing, List<String> words, String wanted, long at) {

    public Feedback {
      words = List.copyOf(words);
    }

    public JsonObject toJson() {
      return new JsonObject().put("sender", sender).put("closing", closing).put("words", new JsonArray(words))
          .put("wanted", wanted).put("at", at);
    }

    public static Feedback fromJson(JsonObject json) {
      JsonArray words = json.getJsonArray("words", new JsonArray());
      return new Feedback(json.getString("sender"), json.getBoolean("closing", false),
          words.stream().map(String.class::cast).toList(), json.getString("wanted"), json.getLong("at"));
    }
  }

  /**
   * A proposed rule. {@code key} names the pattern and wish (what a dismissal remembers); {@code id} is the
   * suggestion's id for this user.
   */
  public record Suggestion(String id, String key, Rule rule, String evidence, int support, double confidence) {

    /** As the protocol's {@code suggestions} frame lists it. */
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("rule", rule.toJson()).putNull("activation").put("evidence", evidence)
          .put("support", support).put("confidence", confidence);
    }
  }

  /**
   * The words of a message that could become keywords: lower-cased, of {@link #MIN_WORD_CHARS} to
   * {@link #MAX_WORD_CHARS} characters with a letter, each once, the first {@link #MAX_WORDS}.
   */
  public static List<String> words(String body) {
    Set<String> words = new LinkedHashSet<>();
    for (String word : NOT_WORD.split(Normalizer.normalize(body, Normalizer.Form.NFC).toLowerCase(Locale.ROOT))) {
      if (words.size() == MAX_WORDS) {
        break;
      }
      int length = word.codePointCount(0, word.length());
      if (length >= MIN_WORD_CHARS && length <= MAX_WORD_CHARS && word.codePoints().anyMatch(Character::isLetter)) {
        words.add(word);
      }
    }
    return List.copyOf(words);
  }

  /**
   * The suggestions for {@code user}: from feedback, its senders in the order of their first feedback, closings and
   * keywords; then from observations, per sender in the order of their first message (answered within a minute,
   * left unanswered while busy), holds while busy or presenting, and closings after the user's own.
   *
   * @param document     the user's rules
   * @param defaults     the server's default rules (they apply to the user unless its document turns them off)
   * @param feedback     the feedback kept for the user, oldest first
   * @param observations what was observed of the user, oldest first
   * @param dismissed    the keys of the suggestions the user dismissed
   * @param now          the clock (epoch ms): a message is unanswered only once {@link #ANSWER_WINDOW} has passed
   */
  public static List<Suggestion> of(String user, RulesDocument document, RulesDocument defaults,
                                    List<Feedback> feedback, List<Observation> observations, Set<String> dismissed,
                                    long now) {
    List<Suggestion> found = new ArrayList<>();
    Map<String, List<Feedback>> bySender = new LinkedHashMap<>();
    feedback.forEach(one -> bySender.computeIfAbsent(one.sender(), sender -> new ArrayList<>()).add(one));
    bySender.forEach((sender, about) -> wished(user, about, "from:" + sender, "messages from " + sender,
        wish -> condition(null, List.of(sender), null, null, null, notOnlineIfHold(wish)), "from-" + sender)
        .ifPresent(found::add));
    wished(user, feedback.stream().filter(Feedback::closing).toList(), "closings",
        "closings (\"thanks\", \"yw\", \"ttyl\" …)",
        wish -> condition(new ContentMatch(null, null, true), null, null, null, null, notOnlineIfHold(wish)),
        "closings").ifPresent(found::add);
    found.addAll(keywords(user, feedback));
    found.addAll(new Behaviour(observations, now).suggestions(user, dismissed));
    List<Rule> has = new ArrayList<>(document.rules());
    if (document.useDefaults()) {
      has.addAll(defaults.rules());
    }
    List<Suggestion> suggestions = new ArrayList<>();
    for (Suggestion suggestion : found) {
      if (!dismissed.contains(suggestion.key()) && has.stream().noneMatch(same(suggestion.rule()))) {
        suggestions.add(suggestion);
        has.add(suggestion.rule());
      }
    }
    return List.copyOf(suggestions);
  }

  /**
   * As {@link #of(String, RulesDocument, RulesDocument, List, List, Set, long)}, from what the store keeps: the
   * user's document (null for none), the server's defaults (null for the shipped ones), feedback and observations
   * as JSON.
   */
  public static List<Suggestion> of(String user, JsonObject document, JsonObject defaults, List<JsonObject> feedback,
                                    List<JsonObject> observations, Set<String> dismissed, long now) {
    return of(user, document == null ? RulesDocument.EMPTY : RulesDocument.fromJson(document),
        defaults == null ? RulesDocument.SHIPPED_DEFAULTS : RulesDocument.defaultsFromJson(defaults),
        feedback.stream().map(Feedback::fromJson).toList(), observations.stream().map(Observation::fromJson).toList(),
        dismissed, now);
  }

  /** The suggestions of {@code after} whose keys {@code before} did not have: what just appeared. */
  public static List<Suggestion> appeared(Collection<Suggestion> before, List<Suggestion> after) {
    Set<String> known = new HashSet<>();
    before.forEach(suggestion -> known.add(suggestion.key()));
    return after.stream().filter(suggestion -> !known.contains(suggestion.key())).toList();
  }

  /** The wish most of {@code about} gave (ties broken in the order of {@link #WISHES}), and how many gave it. */
  private static Map.Entry<String, Integer> mostWished(List<Feedback> about) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    WISHES.forEach(wish -> counts.put(wish, 0));
    about.forEach(one -> counts.merge(one.wanted(), 1, Integer::sum));
    String wish = WISHES.stream().reduce((best, next) -> counts.get(next) > counts.get(best) ? next : best)
        .orElseThrow();
    return Map.entry(wish, counts.get(wish));
  }

  /** The pattern {@code about} as its most given wish, when that wish passes the thresholds. */
  private static Optional<Suggestion> wished(String user, List<Feedback> about, String pattern, String what,
                                             Function<String, Condition> when, String idPrefix) {
    if (about.isEmpty()) {
      return Optional.empty();
    }
    Map.Entry<String, Integer> most = mostWished(about);
    String wish = most.getKey();
    List<Long> agreeing = about.stream().filter(one -> one.wanted().equals(wish)).map(Feedback::at).toList();
    return candidate(user, pattern + ":" + wish, new Rule(ruleId(idPrefix + "-" + wish), 0, true, when.apply(wish),
        action(wish)), agreeing, about.size(), "You marked " + most.getValue() + " of " + about.size() + " " + what
        + " as " + wish + " (feedback on " + days(agreeing) + ")" + effect(wish));
  }

  /**
   * Keywords of messages marked {@code silent} or {@code none}: proposed when the messages with the word pass the
   * thresholds, come from at least {@link #KEYWORD_SENDERS} senders, and the user gave that wish to less than half
   * of its other marked messages (else the word says nothing). A word that always came with an earlier one is left
   * out (a phrase is proposed once, by its first word).
   */
  private static List<Suggestion> keywords(String user, List<Feedback> feedback) {
    Map<String, List<Feedback>> byWord = new LinkedHashMap<>();
    feedback.forEach(one -> one.words().forEach(word -> byWord.computeIfAbsent(word, w -> new ArrayList<>()).add(one)));
    List<Suggestion> found = new ArrayList<>();
    Set<List<Feedback>> proposed = new HashSet<>();
    // Counted once, so that each word costs only its own messages (a message has each of its words once).
    Map<String, Long> allWished = new HashMap<>();
    feedback.forEach(one -> allWished.merge(one.wanted(), 1L, Long::sum));
    byWord.forEach((word, with) -> {
      if (with.size() < MIN_SUPPORT) {
        return; // most words: too rare to agree enough
      }
      Map.Entry<String, Integer> most = mostWished(with);
      String wish = most.getKey();
      List<Feedback> agreeing = with.stream().filter(one -> one.wanted().equals(wish)).toList();
      int without = feedback.size() - with.size();
      long alsoWithout = allWished.getOrDefault(wish, 0L) - most.getValue();
      if (found.size() == MAX_KEYWORD_SUGGESTIONS || !("silent".equals(wish) || "none".equals(wish))
          || agreeing.size() < MIN_SUPPORT
          || agreeing.stream().map(Feedback::sender).distinct().count() < KEYWORD_SENDERS
          || without == 0 || 2 * alsoWithout >= without || !proposed.add(with)) {
        return;
      }
      List<Long> at = agreeing.stream().map(Feedback::at).toList();
      candidate(user, "keyword:" + word + ":" + wish, new Rule(ruleId("keyword-" + word + "-" + wish), 0, true,
          condition(new ContentMatch(List.of(word), null, false), null, null, null, null, null), action(wish)),
          at, with.size(), "You marked " + most.getValue() + " of " + with.size() + " messages saying \"" + word
              + "\" as " + wish + " (feedback on " + days(at) + ", from "
              + agreeing.stream().map(Feedback::sender).distinct().count() + " senders)" + effect(wish))
          .ifPresent(found::add);
    });
    return found;
  }

  /** What the observations say: each received message with the user's answer to it. */
  private static final class Behaviour {

    /** A message the user received, its answer (the user's next message there, or null) and its own before it. */
    private record Received(Observation message, Observation answer, Observation ownBefore, boolean decided) {

      boolean answered() {
        return answer != null && answer.at() - message.at() <= ANSWER_WINDOW.toMillis();
      }

      boolean quick() {
        return answer != null && answer.at() - message.at() <= QUICK_ANSWER.toMillis();
      }
    }

    private static final TreeMap<Long, Observation> EMPTY = new TreeMap<>();

    private final List<Received> received = new ArrayList<>();

    Behaviour(List<Observation> observations, long now) {
      // The user's messages of each conversation by seq: a message's answer and the user's message before it are
      // its neighbours there.
      Map<String, TreeMap<Long, Observation>> sent = new HashMap<>();
      observations.stream().filter(Observation::sent)
          .forEach(one -> sent.computeIfAbsent(one.conversation(), c -> new TreeMap<>()).put(one.seq(), one));
      for (Observation one : observations) {
        if (one.sent()) {
          continue;
        }
        TreeMap<Long, Observation> own = sent.getOrDefault(one.conversation(), EMPTY);
        Map.Entry<Long, Observation> next = own.higherEntry(one.seq());
        Map.Entry<Long, Observation> previous = own.lowerEntry(one.seq());
        Observation answer = next == null ? null : next.getValue();
        Observation before = previous == null ? null : previous.getValue();
        boolean answeredInTime = answer != null && answer.at() - one.at() <= ANSWER_WINDOW.toMillis();
        received.add(new Received(one, answer, before, answeredInTime || now - one.at() >= ANSWER_WINDOW.toMillis()));
      }
    }

    List<Suggestion> suggestions(String user, Set<String> dismissed) {
      List<Suggestion> found = new ArrayList<>();
      Map<String, List<Received>> bySender = new LinkedHashMap<>();
      received.stream().filter(one -> !one.message().closing() && one.decided())
          .forEach(one -> bySender.computeIfAbsent(one.message().sender(), s -> new ArrayList<>()).add(one));
      bySender.forEach((sender, from) -> {
        answeredQuickly(user, sender, from).ifPresent(found::add);
        unansweredWhileBusy(user, sender, from).ifPresent(found::add);
      });
      for (String state : HOLD_STATES) {
        List<Received> inState = received.stream()
            .filter(one -> !one.message().closing() && one.answered() && one.message().in(state)).toList();
        Optional<Suggestion> general = heldFor(user, state, null, inState);
        general.ifPresent(found::add);
        if (general.isPresent() && !dismissed.contains(general.get().key())) {
          continue; // it covers every sender
        }
        Map<String, List<Received>> stateBySender = new LinkedHashMap<>();
        inState.forEach(one -> stateBySender.computeIfAbsent(one.message().sender(), s -> new ArrayList<>()).add(one));
        stateBySender.forEach((sender, from) -> heldFor(user, state, sender, from).ifPresent(found::add));
      }
      closingsAfterOwn(user).ifPresent(found::add);
      return found;
    }

    /** A sender the user answers within a minute is important: its messages pop up. */
    private Optional<Suggestion> answeredQuickly(String user, String sender, List<Received> from) {
      List<Long> quick = from.stream().filter(Received::quick).map(one -> one.message().at()).toList();
      // The key of the feedback pattern that proposes the same rule: one suggestion, dismissed at once.
      return candidate(user, "from:" + sender + ":popup", new Rule(ruleId("from-" + sender + "-popup"), 0, true,
              condition(null, List.of(sender), null, null, null, null), action("popup")), quick, from.size(),
          "You answered " + quick.size() + " of " + from.size() + " messages from " + sender + " within a minute (on "
              + days(quick) + ")" + effect("popup"));
    }

    /** A sender the user never answers while busy is not important then: its messages come silently. */
    private Optional<Suggestion> unansweredWhileBusy(String user, String sender, List<Received> from) {
      List<Received> whileBusy = from.stream().filter(one -> one.message().in(BUSY)).toList();
      List<Long> unanswered = whileBusy.stream().filter(one -> !one.answered()).map(one -> one.message().at()).toList();
      return candidate(user, "unanswered-busy:" + sender + ":silent", new Rule(ruleId("from-" + sender
              + "-silent-busy"), 0, true, condition(null, List.of(sender), List.of(BUSY), null, null, null),
              action("silent")), unanswered, whileBusy.size(),
          "You left " + unanswered.size() + " of " + whileBusy.size() + " messages from " + sender
              + " that came while you were busy unanswered (on " + days(unanswered)
              + "): deliver them with silent while you are busy.");
    }

    /**
     * Messages that came while the user was in {@code state} and that it answered only once out of it: hold them
     * while in it. {@code sender} null: every sender's, from at least {@link #GENERAL_HOLD_SENDERS} senders.
     */
    private static Optional<Suggestion> heldFor(String user, String state, String sender, List<Received> inState) {
      List<Received> after = inState.stream().filter(one -> !one.answer().in(state)).toList();
      if (sender == null
          && after.stream().map(one -> one.message().sender()).distinct().count() < GENERAL_HOLD_SENDERS) {
        return Optional.empty();
      }
      List<Long> at = after.stream().map(one -> one.message().at()).toList();
      List<String> status = BUSY.equals(state) ? List.of(state) : null;
      List<String> activity = BUSY.equals(state) ? null : List.of(state);
      String whose = sender == null ? "from " + after.stream().map(one -> one.message().sender()).distinct().count()
          + " senders" : "from " + sender;
      return candidate(user, (sender == null ? "hold:" : "hold:" + sender + ":") + state,
          new Rule(ruleId((sender == null ? "hold-" : "from-" + sender + "-hold-") + state), 0, true,
              condition(null, sender == null ? null : List.of(sender), status, activity, null, null),
              new Action(Verdict.Disposition.HOLD, null, null)), at, inState.size(),
          "You answered " + at.size() + " of " + inState.size() + " messages " + whose + " that came while you were "
              + state + " only once you were no longer " + state + " (on " + days(at) + "): hold "
              + (sender == null ? "messages" : "them") + " while you are " + state + ".");
    }

    /** Closings that come soon after the user's own closing and stay unanswered are gratuitous (the seed's rule). */
    private Optional<Suggestion> closingsAfterOwn(String user) {
      List<Received> after = received.stream().filter(one -> one.decided() && one.message().closing()
          && one.ownBefore() != null && one.ownBefore().closing()
          && one.message().at() - one.ownBefore().at() <= AFTER_OWN_CLOSING.toMillis()).toList();
      List<Long> unanswered = after.stream().filter(one -> !one.answered()).map(one -> one.message().at()).toList();
      return candidate(user, "closings-after-yours:none", new Rule("closings-after-yours-none", 0, true,
              condition(new ContentMatch(null, null, true), null, null, null, AFTER_OWN_CLOSING, null),
              action("none")), unanswered, after.size(),
          "You left " + unanswered.size() + " of " + after.size() + " closings that came within 10 minutes of your"
              + " own closing unanswered (on " + days(unanswered) + ")" + effect("none"));
    }
  }

  /** A suggestion when {@code agreeing} (the times of the agreeing messages) pass the thresholds out of {@code total}. */
  private static Optional<Suggestion> candidate(String user, String key, Rule rule, List<Long> agreeing, int total,
                                                String evidence) {
    int support = agreeing.size();
    if (total == 0 || support < MIN_SUPPORT) {
      return Optional.empty();
    }
    double confidence = Math.round(1000.0 * support / total) / 1000.0;
    return confidence < MIN_CONFIDENCE ? Optional.empty()
        : Optional.of(new Suggestion(id(user, key), key, rule, evidence, support, confidence));
  }

  /** On how many days (UTC) these times fall, in words. */
  private static String days(List<Long> times) {
    long days = times.stream().map(at -> LocalDate.ofInstant(Instant.ofEpochMilli(at), ZoneOffset.UTC)).distinct()
        .count();
    return days + (days == 1 ? " day" : " days");
  }

  private static String effect(String wish) {
    return switch (wish) {
      case "hold" -> ": hold them while you are not online.";
      case "popup" -> ": let them pop up.";
      default -> ": deliver them with " + wish + ".";
    };
  }

  private static Condition condition(ContentMatch content, List<String> from, List<String> status,
                                     List<String> activity, Duration closingSentWithin, Condition not) {
    return new Condition(content, from, null, status, activity, null, closingSentWithin, not, null);
  }

  /** A wish to hold holds while the user is not online, so that the hold can end. */
  private static Condition notOnlineIfHold(String wish) {
    return "hold".equals(wish) ? condition(null, null, List.of("online"), null, null, null) : null;
  }

  /** The action for a wish; a hold ends when the user is online again (see the condition). */
  private static Action action(String wish) {
    return "hold".equals(wish) ? new Action(Verdict.Disposition.HOLD, null, null)
        : new Action(Verdict.Disposition.DELIVER, Notify.valueOf(wish.toUpperCase(Locale.ROOT)), null);
  }

  /** Whether a rule does what {@code suggested} would (its priority aside), or has its id. */
  private static Predicate<Rule> same(Rule suggested) {
    return rule -> rule.id().equals(suggested.id())
        || rule.when().equals(suggested.when()) && rule.then().equals(suggested.then());
  }

  /** A readable rule id, or a hashed one where the sender's id would make it too long. */
  private static String ruleId(String readable) {
    return readable.length() <= 128 && !readable.contains(" ") ? readable : "suggested-" + hash(readable);
  }

  /** A suggestion's id: the same pattern has another id for another user. */
  private static String id(String user, String key) {
    return "s-" + hash(user + "\n" + key);
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Adds a suggestion's rule to a document, last (priority 0, after the rules already there of the same priority). */
  public static RulesDocument adopt(RulesDocument document, Suggestion suggestion) {
    List<Rule> rules = new ArrayList<>(document.rules());
    rules.add(suggestion.rule());
    return new RulesDocument(document.timeZone(), rules, document.activations(), document.useDefaults());
  }

  /** Written for the wire: a list of suggestions. */
  public static JsonArray toJson(List<Suggestion> suggestions) {
    return new JsonArray(suggestions.stream().map(Suggestion::toJson).toList());
  }
}
