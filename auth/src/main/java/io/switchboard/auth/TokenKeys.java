package io.switchboard.auth;

import java.util.List;

/**
 * What verifies a kind of token (clients' or operators'): an HS256 secret, PEM public keys (RSA keys verify RS256,
 * P-256 keys ES256) and a JWKS URL whose keys are fetched at start and refreshed; any of them, at least one. A
 * public key that verifies neither is refused here, with a message saying why.
 */
public record TokenKeys(String secret, List<String> publicKeysPem, String jwksUrl) {

  public TokenKeys {
    publicKeysPem = List.copyOf(publicKeysPem);
    publicKeysPem.forEach(PublicKeys::algorithm);
    if (secret == null && publicKeysPem.isEmpty() && jwksUrl == null) {
      throw new IllegalArgumentException("tokens need a secret, a public key or a JWKS URL to be verified with");
    }
  }

  public static TokenKeys secret(String secret) {
    return new TokenKeys(secret, List.of(), null);
  }
}
