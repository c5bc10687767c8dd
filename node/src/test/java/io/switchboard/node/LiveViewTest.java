package io.switchboard.node;

import io.switchboard.admin.LiveViews;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The supervisors' live view (docs/ADMIN-API.md) on one node with the embedded store, over real clients. */
class LiveViewTest extends NodeTestBase {

  private final List<LiveClient> views = new ArrayList<>();

  private LiveClient live(String virtualUser) {
    LiveClient view = LiveClient.open(node.node.httpPort(), virtualUser, node.adminToken());
    views.add(view);
    return view;
  }

  @org.junit.jupiter.api.AfterEach
  void closeViews() {
    views.forEach(LiveClient::close);
  }

  private static JsonObject member(JsonObject members, String id) {
    return members.getJsonArray("members").stream().map(JsonObject.class::cast)
        .filter(member -> id.equals(member.getString("id"))).findFirst().orElseThrow();
  }

  private static boolean shows(JsonObject members, String id, String status, int load) {
    JsonObject member = member(members, id);
    return status.equals(member.getString("status")) && load == member.getInteger("load");
  }

  private static void eventually(BooleanSupplier condition, String what) {
    NodeTestBase.eventually(TestClient.WAIT, condition, () -> what);
  }

  @Test
  void aLiveViewShowsTheMembersThenConversationsAndDecisionsAsTheyHappen() {
    LiveClient view = live("shop");
    JsonObject first = view.next("members");
    assertEquals("offline", first.getString("status"));
    assertTrue(shows(first, "m1", "offline", 0));

    TestClient m1 = connect("m1");
    view.next("members", members -> shows(members, "m1", "online", 0));
    TestClient abc = connect("abc");
    String conversation = openAccepted(abc, "shop", m1);
    JsonObject decision = view.next("decision");
    assertEquals(List.of(conversation, "abc", "m1"), List.of(decision.getString("conversation"),
        decision.getString("source"), decision.getString("selected")));
    JsonObject opened = view.next("opened");
    assertEquals(List.of(conversation, "abc", "m1"), List.of(opened.getString("conversation"),
        opened.getString("source"), opened.getString("agent")));
    view.next("members", members -> shows(members, "m1", "online", 1));

    TestClient m2 = connect("m2");
    m1.send(frame("transfer").put("id", "t").put("conversation", conversation).put("to", "m2").put("note", "refund"));
    m2.next("offer");
    assertOk(m2.request(frame("accept").put("conversation", conversation)));
    JsonObject transferred = view.next("transferred");
    assertEquals(List.of(conversation, "m1", "m2", "refund", "shop"), List.of(transferred.getString("conversation"),
        transferred.getString("from"), transferred.getString("agent"), transferred.getString("note"),
        transferred.getString("toVirtualUser")));
    view.next("members", members -> shows(members, "m1", "online", 0) && shows(members, "m2", "online", 1));

    assertOk(abc.request(frame("close").put("conversation", conversation)));
    JsonObject closed = view.next("closed");
    assertEquals(List.of(conversation, "abc", "closed"), List.of(closed.getString("conversation"),
        closed.getString("by"), closed.getString("reason")));
    view.next("members", members -> shows(members, "m2", "online", 0));
  }

  @Test
  void aConversationMovedToAnotherVirtualUserShowsInTheLiveViewsOfBoth() {
    LiveClient shop = live("shop");
    LiveClient strict = live("strict");
    TestClient m1 = connect("m1");
    String conversation = openAccepted(connect("abc"), "shop", m1);
    TestClient s1 = connect("s1");
    m1.send(frame("transfer").put("id", "t").put("conversation", conversation).put("to", "strict"));
    assertOk(s1.request(frame("accept").put("conversation", s1.next("offer").getString("conversation"))));

    for (LiveClient view : List.of(shop, strict)) {
      JsonObject transferred = view.next("transferred");
      assertEquals(List.of(conversation, "m1", "s1", "shop", "strict"), List.of(transferred.getString("conversation"),
          transferred.getString("from"), transferred.getString("agent"), transferred.getString("fromVirtualUser"),
          transferred.getString("toVirtualUser")));
    }
    assertEquals("s1", strict.next("decision", decision -> conversation.equals(decision.getString("conversation")))
        .getString("selected"));
    strict.next("members", members -> shows(members, "s1", "online", 1));
    shop.next("members", members -> shows(members, "m1", "online", 0));
  }

  private static List<String> sources(JsonObject queue) {
    return queue.getJsonArray("waiting").stream().map(entry -> ((JsonObject) entry).getString("source")).toList();
  }

  @Test
  void aLiveViewShowsTheQueueWheneverItChanges() {
    node.admin().put("/api/v1/virtual-users/line", new JsonObject().put("members", new JsonArray().add("m3"))
        .put("policy", new JsonObject().put("queue", new JsonObject().put("maxWaiting", 5).put("maxWait", "PT1M"))))
        .ok();
    LiveClient view = live("line");
    assertEquals(List.of(), sources(view.next("queue")));

    TestClient abc = connect("abc");
    TestClient bob = connect("bob");
    abc.send(frame("open").put("id", "o1").put("to", "line"));
    assertEquals("queued", abc.next("queued").getString("type"));
    assertEquals(List.of("abc"), sources(view.next("queue", queue -> sources(queue).size() == 1)));
    bob.send(frame("open").put("id", "o2").put("to", "line"));
    bob.next("queued");
    JsonObject two = view.next("queue", queue -> sources(queue).size() == 2);
    assertEquals(List.of("abc", "bob"), sources(two));
    assertEquals(List.of(1, 2), two.getJsonArray("waiting").stream()
        .map(entry -> ((JsonObject) entry).getInteger("position")).toList());

    assertOk(abc.request(frame("cancel").put("open", "o1")));
    assertEquals(List.of("bob"), sources(view.next("queue", queue -> sources(queue).equals(List.of("bob")))));
    TestClient m3 = connect("m3");
    m3.next("offer");
    assertEquals(List.of(), sources(view.next("queue", queue -> sources(queue).isEmpty())));
  }

  @Test
  void aLiveViewNeedsAnAdminTokenAndAVirtualUserThatExists() {
    int port = node.node.httpPort();
    assertEquals(401, LiveClient.open(port, "shop", null).status);
    assertEquals(403, LiveClient.open(port, "shop", node.token("abc")).status);
    LiveClient unknown = LiveClient.open(port, "nobody", node.adminToken());
    assertEquals(404, unknown.status);
    assertEquals("not_found", new JsonObject(unknown.errorBody).getJsonObject("error").getString("code"));
    assertEquals(0, node.node.liveViews().clients());
  }

  @Test
  void aNodeServesAtMostItsLiveViewsAndCountsTheOnesItRefuses() {
    LiveViews limits = node.node.liveViews();
    for (int i = 0; i < limits.maxClients(); i++) {
      live("shop").next("members");
    }
    LiveClient refused = live("shop");
    assertEquals(503, refused.status);
    assertEquals("unavailable", new JsonObject(refused.errorBody).getJsonObject("error").getString("code"));
    assertEquals(1, limits.refused());
    Scrape.untilEquals(vertx, node.node.httpPort(), "switchboard_live_views_refused_total", 1);

    views.get(0).close();
    eventually(() -> limits.clients() < limits.maxClients(), "a closed live view gives its place back");
    assertEquals(200, live("shop").status);
  }

  @Test
  void aLiveViewWhoseClientDoesNotReadIsDroppedNotBuffered() {
    // a crowd of members with long ids makes every members event about 30 KB
    AdminClient admin = node.admin();
    List<String> crowd = IntStream.range(0, 300).mapToObj(i -> "a-member-of-the-crowd-with-a-long-id-" + i).toList();
    crowd.forEach(id -> admin.put("/api/v1/users/" + id, new JsonObject()).ok());
    admin.put("/api/v1/virtual-users/crowd", new JsonObject().put("members", new JsonArray(crowd))).ok();
    LiveClient reading = live("crowd");
    int eventBytes = reading.next("members").encode().length();
    LiveClient unread = LiveClient.unread(node.node.httpPort(), "crowd", node.adminToken());
    views.add(unread);
    assertEquals(200, unread.status);

    TestClient member = connect(crowd.get(0));
    LiveViews limits = node.node.liveViews();
    int changes = 0;
    while (limits.dropped() == 0) {
      assertTrue(changes < 2000, "the unread live view is still open after " + changes + " status changes");
      setStatus(member, changes++ % 2 == 0 ? "busy" : "online");
    }
    LoggerFactory.getLogger(LiveViewTest.class).warn("an unread live view was dropped after {} status changes of"
        + " {}-byte members events (at most {} KB sent)", changes, eventBytes, (long) changes * eventBytes / 1024);
    assertEquals(1, limits.dropped());
    Scrape.untilEquals(vertx, node.node.httpPort(), "switchboard_live_views_dropped_total", 1);
    assertTrue(unread.drainsToTheEnd(), "the node closed the unread live view");
    eventually(() -> limits.clients() == 1, "only the reading live view is left");
    reading.next("members", members -> shows(members, crowd.get(0), "online", 0)
        || shows(members, crowd.get(0), "busy", 0));
    assertTrue(!reading.ended(), "the client that reads keeps its live view");
  }
}
