package io.switchboard.directory;

import io.switchboard.contract.Status;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Reading users, virtual users, policies and the directory file as ADMIN-API.md writes them. */
class DefinitionsTest {

  /** ADMIN-API.md's user example. */
  private static final String ANNA = """
      {"id":"anna","name":"Anna","geo":{"lat":31.2,"lon":121.5},"attributes":{"tier":"senior"},"maxConversations":5}""";

  /** ADMIN-API.md's virtual user example. */
  private static final String SHOP = """
      {"id":"XianFengShuDian","name":"XianFeng Books","members":["ShopAssistant1","ShopAssistant2"],
       "policy":{"availableStatuses":["online","busy","away"],
                 "chain":[{"type":"sticky","expiration":"PT24H","among":"latest"},{"type":"least-load"}],
                 "offerTimeout":"PT15S","maxOffers":3,"revealAgent":false}}""";

  @Test
  void readsTheUserExample() {
    User anna = User.fromJson(new JsonObject(ANNA));

    assertEquals("anna", anna.id());
    assertEquals("Anna", anna.name());
    assertEquals(new Geo(31.2, 121.5), anna.geo());
    assertEquals(new JsonObject().put("tier", "senior"), anna.attributes());
    assertEquals(5, anna.maxConversations());
  }

  @Test
  void aUserNeedsOnlyAnIdAndThenHasNoCapacityLimit() {
    User minimal = User.fromJson(new JsonObject().put("id", "bob"));

    assertNull(minimal.geo());
    assertNull(minimal.maxConversations());
    assertTrue(minimal.hasRoomFor(1_000_000));
  }

  @Test
  void readsThePolicyOfTheVirtualUserExample() {
    Policy policy = Policy.fromJson(new JsonObject(SHOP).getJsonObject("policy"));

    assertEquals(Set.of(Status.ONLINE, Status.BUSY, Status.AWAY), policy.availableStatuses());
    assertEquals(List.of(new PolicyStep.Sticky(Duration.ofHours(24), PolicyStep.Among.LATEST),
        new PolicyStep.LeastLoad()), policy.chain());
    assertEquals(Duration.ofSeconds(15), policy.offerTimeout());
    assertEquals(3, policy.maxOffers());
    assertFalse(policy.revealAgent());
  }

  @Test
  void everyPolicyFieldMayBeLeftOut() {
    assertEquals(Policy.DEFAULT, Policy.fromJson(new JsonObject()));
    assertEquals(Policy.DEFAULT, VirtualUser.fromJson(new JsonObject().put("id", "desk").put("members", List.of()))
        .policy());
  }

  @Test
  void readsTheDirectoryFileOfTheExamples() {
    DirectoryFile directory =
        DirectoryFile.fromJson(directory(SHOP, ANNA, user("ShopAssistant1"), user("ShopAssistant2")));

    assertEquals(List.of("anna", "ShopAssistant1", "ShopAssistant2"),
        directory.users().stream().map(User::id).toList());
    VirtualUser shop = directory.virtualUsers().get(0);
    assertEquals("XianFengShuDian", shop.id());
    assertEquals("XianFeng Books", shop.name());
    assertEquals(List.of("ShopAssistant1", "ShopAssistant2"), shop.members());
  }

  @Test
  void anEmptyDirectoryFileIsEmpty() {
    DirectoryFile directory = DirectoryFile.fromJson(new JsonObject());

    assertTrue(directory.users().isEmpty());
    assertTrue(directory.virtualUsers().isEmpty());
  }

  /** Each refused definition, and the words its error message must contain to tell the operator what is wrong. */
  static Stream<Arguments> refusals() {
    return Stream.of(
        arguments("unknown step type", policy("{\"chain\":[{\"type\":\"random\"}]}"),
            List.of("chain[0].type", "random")),
        arguments("step that is not an object", policy("{\"chain\":[\"sticky\"]}"), List.of("chain[0]", "object")),
        arguments("negative duration", policy(sticky("PT-1H")), List.of("chain[0].expiration", "PT-1H")),
        arguments("duration that is not ISO-8601", policy(sticky("soon")), List.of("chain[0].expiration", "soon")),
        arguments("duration too long to count in milliseconds", policy(sticky("PT9999999999999H")),
            List.of("chain[0].expiration", "PT9999999999999H")),
        arguments("offerTimeout that is not a duration", policy("{\"offerTimeout\":\"soon\"}"),
            List.of("offerTimeout", "soon")),
        arguments("availableStatuses containing offline", policy("{\"availableStatuses\":[\"online\",\"offline\"]}"),
            List.of("availableStatuses", "offline")),
        arguments("maxOffers 0", policy("{\"maxOffers\":0}"), List.of("maxOffers", "at least 1")),
        arguments("policy that is not an object",
            (Executable) () -> VirtualUser.fromJson(
                new JsonObject("{\"id\":\"desk\",\"members\":[],\"policy\":\"fast\"}")),
            List.of("policy", "object")),
        arguments("member that is not a user", directoryOf("{\"id\":\"desk\",\"members\":[\"ghost\"]}", user("anna")),
            List.of("ghost", "not a user")),
        arguments("member listed twice", directoryOf("{\"id\":\"desk\",\"members\":[\"anna\",\"anna\"]}", user("anna")),
            List.of("members", "desk")),
        arguments("user id used twice", directoryOf(null, user("anna"), user("anna")), List.of("anna", "twice")),
        arguments("virtual user with the id of a user", directoryOf("{\"id\":\"anna\",\"members\":[]}", user("anna")),
            List.of("anna", "also a user")),
        arguments("user without an id", (Executable) () -> User.fromJson(new JsonObject("{\"name\":\"Nobody\"}")),
            List.of("id")),
        arguments("negative maxConversations", userWith("\"maxConversations\":-1"), List.of("maxConversations")),
        arguments("maxConversations beyond a whole number's range", userWith("\"maxConversations\":4294967295"),
            List.of("maxConversations")),
        arguments("geo out of range", userWith("\"geo\":{\"lat\":91,\"lon\":0}"), List.of("geo", "lat")));
  }

  @ParameterizedTest(name = "refuses a {0}")
  @MethodSource("refusals")
  void refusesWithAMessageNamingTheProblem(String what, Executable reading, List<String> words) {
    InvalidDefinitionException refused = assertThrows(InvalidDefinitionException.class, reading);

    for (String word : words) {
      assertTrue(refused.getMessage().contains(word), () -> "'" + refused.getMessage() + "' should mention " + word);
    }
  }

  // --- building blocks

  private static String user(String id) {
    return new JsonObject().put("id", id).encode();
  }

  private static String sticky(String expiration) {
    return "{\"chain\":[{\"type\":\"sticky\",\"expiration\":\"" + expiration + "\"}]}";
  }

  private static Executable policy(String json) {
    return () -> Policy.fromJson(new JsonObject(json));
  }

  private static Executable userWith(String field) {
    return () -> User.fromJson(new JsonObject("{\"id\":\"anna\"," + field + "}"));
  }

  /** A directory file reading of one virtual user (none when null) and these users. */
  private static Executable directoryOf(String virtualUser, String... users) {
    return () -> DirectoryFile.fromJson(directory(virtualUser, users));
  }

  private static JsonObject directory(String virtualUser, String... users) {
    String virtualUsers = virtualUser == null ? "" : virtualUser;
    return new JsonObject("{\"users\":[" + String.join(",", users) + "],\"virtualUsers\":[" + virtualUsers + "]}");
  }
}
