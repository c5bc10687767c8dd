package io.switchboard.pages;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.List;

/**
 * The browser pages (docs/CLIENTS.md § Pages): {@code /chat}, {@code /agent} and {@code /admin}, and their scripts and
 * styles under {@code /pages/}, bundled into this jar at build time. Every node serves them; they talk to the node
 * they came from ({@code /ws}, {@code /api/v1}).
 */
public final class Pages {

  /** Where the build puts the bundled pages, on the class path. */
  static final String WEB_ROOT = "io/switchboard/pages/web";
  static final List<String> PAGES = List.of("chat", "agent", "admin");
  /**
   * Only the node's own scripts, styles and endpoints: even a text that slipped past the pages' escaping could run
   * nothing (no inline script) and send nothing elsewhere.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private Pages() {
  }

  public static void mount(Router router) {
    router.get("/pages/*").handler(StaticHandler.create(WEB_ROOT).setDirectoryListing(false));
    for (String page : PAGES) {
      router.get("/" + page).handler(ctx -> ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
          .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .sendFile(WEB_ROOT + "/" + page + ".html")
          .onFailure(ctx::fail));
    }
  }
}
