package io.switchboard.auth;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A JWKS document ({@code {"keys":[…]}}) fetched over HTTP(S): its RS256 and ES256 signing keys. */
final class Jwks {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** A key set is a few kilobytes; a larger answer is not one. */
  private static final int MAX_BYTES = 1 << 20;

  private Jwks() {
  }

  static Future<List<JsonObject>> fetch(HttpClient http, String url) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
        .setTimeout(TIMEOUT.toMillis()).putHeader("Accept", "application/json");
    return http.request(request)
        .compose(sent -> sent.send())
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture("answered " + response.statusCode());
          }
          String length = response.getHeader("Content-Length");
          if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BYTES) {
            return Future.failedFuture("the key set is over " + MAX_BYTES + " bytes");
          }
          return response.body();
        })
        .map(body -> {
          if (body.length() > MAX_BYTES) {
            throw new IllegalArgumentException("the key set is over " + MAX_BYTES + " bytes");
          }
          return keys(body.toJsonObject());
        })
        .recover(failure -> Future.failedFuture(new IllegalArgumentException(
            "cannot read the keys of " + url + ": " + failure.getMessage(), failure)));
  }

  /** The signing keys of the set that verify RS256 or ES256; a set without any is refused. */
  private static List<JsonObject> keys(JsonObject document) {
    if (!(document.getValue("keys") instanceof JsonArray array)) {
      throw new IllegalArgumentException("not a JWKS document: no keys array");
    }
    List<JsonObject> keys = new ArrayList<>();
    for (Object item : array) {
      if (item instanceof JsonObject key && !"enc".equals(key.getString("use"))) {
        String algorithm = key.getString("alg", "RSA".equals(key.getString("kty")) ? "RS256"
            : "P-256".equals(key.getString("crv")) ? "ES256" : null);
        if ("RS256".equals(algorithm) || "ES256".equals(algorithm)) {
          keys.add(key.copy().put("alg", algorithm));
        }
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("the key set holds no RS256 or ES256 signing key");
    }
    return keys;
  }
}
