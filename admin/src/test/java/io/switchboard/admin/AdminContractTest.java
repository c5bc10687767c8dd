package io.switchboard.admin;

import io.switchboard.auth.TokenPolicy;
import io.switchboard.store.memory.InMemoryStores;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The admin API's OpenAPI document and the routes {@link AdminApi#mount} makes describe the same endpoints, so the
 * document cannot drift from what the node serves; and the docs' curl examples of it say they speak JSON.
 */
@ExtendWith(VertxExtension.class)
class AdminContractTest {

  /** A curl command with its continuation lines, in a Markdown file. */
  private static final Pattern CURL = Pattern.compile("curl\\b(?:[^\\n]*\\\\\\n)*[^\\n]*");

  @Test
  void everyRouteIsAnOperationOfTheDocumentAndEveryOperationARoute(Vertx vertx) {
    AdminContract contract = TestContract.load(vertx);
    Router router = Router.router(vertx);
    InMemoryStores stores = new InMemoryStores(100);
    AdminApi.mount(router, stores.directory(), stores.conversations(), stores.rules(), stores.queues(),
        TokenPolicy.hs256(vertx, "contract-test-secret-0123456789abcdef", TokenPolicy.DEFAULT_MAX_LIFETIME,
            Clock.systemUTC()), 100, contract,
        new LiveViews(stores.directory(), stores.queues(), LiveViews.MAX_KEEPALIVE, LiveViews.DEFAULT_MAX_CLIENTS),
        Clock.systemUTC());

    Set<String> routes = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      // routes for every method (authentication, body, validation, the 404) are no endpoints
      if (route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      String path = route.getPath().replaceAll(":(\\w+)", "{$1}");
      route.methods().forEach(method -> routes.add(method.name() + " " + path));
    }
    Set<String> operations = new TreeSet<>();
    OpenAPIContract document = contract.contract();
    for (Operation operation : document.operations()) {
      operations.add(operation.getHttpMethod().name() + " " + operation.getAbsoluteOpenAPIPath());
    }
    assertEquals(operations, routes, "the routes AdminApi mounts and the operations of " + AdminContract.RESOURCE);
    assertFalse(routes.isEmpty());
    assertEquals(OpenAPIVersion.V3_1, document.getVersion());
  }

  @Test
  void everyCurlExampleOfTheAdminApiSetsTheJsonContentType() throws IOException {
    Path repository = Path.of("..").toAbsolutePath().normalize();
    List<Path> markdown = new ArrayList<>(List.of(repository.resolve("README.md")));
    try (Stream<Path> docs = Files.list(repository.resolve("docs"))) {
      docs.filter(file -> file.toString().endsWith(".md")).forEach(markdown::add);
    }
    List<String> withoutContentType = new ArrayList<>();
    int examples = 0;
    for (Path file : markdown) {
      Matcher curl = CURL.matcher(Files.readString(file));
      while (curl.find()) {
        String command = curl.group();
        if (command.contains(AdminApi.PREFIX + "/")) {
          examples++;
          if (!command.toLowerCase().contains("content-type: application/json")) {
            withoutContentType.add(repository.relativize(file) + ": " + command);
          }
        }
      }
    }
    assertEquals(List.of(), withoutContentType, "curl examples of the admin API without Content-Type: application/json");
    assertFalse(examples == 0, "the docs have curl examples of the admin API");
  }
}
