package io.switchboard.node;

import io.switchboard.auth.TokenKeys;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * How a node protects its ports and tells tokens apart (docs/OPERATIONS.md § TLS and keys): the certificate and key
 * (PEM) that the WebSocket, TCP and admin ports serve TLS with; the public keys (PEM contents) and JWKS URL that
 * client tokens may also be verified with, besides {@code --jwt-secret}; the secret and public keys that verify
 * admin tokens instead of the client ones; the port the admin API listens on instead of the HTTP port (null: the
 * HTTP port); the certificates (PEM file) Redis's is checked against over {@code rediss://}.
 */
public record SecurityOptions(Path tlsCert, Path tlsKey, List<String> jwtPublicKeys, String jwksUrl,
                              String adminJwtSecret, List<String> adminJwtPublicKeys, Integer adminPort, Path redisCa) {

  public SecurityOptions {
    jwtPublicKeys = List.copyOf(jwtPublicKeys);
    adminJwtPublicKeys = List.copyOf(adminJwtPublicKeys);
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new NodeOptions.InvalidOptionException("--tls-cert and --tls-key go together: give both or neither");
    }
  }

  /** The certificate the node's ports serve, or null for plain connections. */
  public KeyCertOptions tls() {
    return tlsCert == null ? null
        : new PemKeyCertOptions().setCertPath(tlsCert.toString()).setKeyPath(tlsKey.toString());
  }

  /** What verifies client tokens, {@code secret} included; null when nothing does (the node makes a secret up). */
  TokenKeys clientKeys(String secret) {
    return secret == null && jwtPublicKeys.isEmpty() && jwksUrl == null ? null
        : new TokenKeys(secret, jwtPublicKeys, jwksUrl);
  }

  /** What verifies admin tokens when they have keys of their own, else null (the client keys do). */
  TokenKeys adminKeys() {
    return adminJwtSecret == null && adminJwtPublicKeys.isEmpty() ? null
        : new TokenKeys(adminJwtSecret, adminJwtPublicKeys, null);
  }
}
