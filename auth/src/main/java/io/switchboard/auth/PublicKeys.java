package io.switchboard.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** PEM public keys ({@code -----BEGIN PUBLIC KEY-----}): which JWT algorithm each verifies. */
final class PublicKeys {

  private static final int P256_BITS = 256;

  private PublicKeys() {
  }

  /** RS256 for an RSA key, ES256 for a P-256 key; anything else is refused with a message saying what it is. */
  static String algorithm(String pem) {
    PublicKey key = decode(pem);
    if (key instanceof RSAPublicKey) {
      return "RS256";
    }
    if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == P256_BITS) {
      return "ES256";
    }
    throw new IllegalArgumentException("a public key verifies RS256 (RSA) or ES256 (EC P-256), not " + key.getAlgorithm()
        + " of this kind");
  }

  private static PublicKey decode(String pem) {
    String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
        .replaceAll("\\s", "");
    if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new IllegalArgumentException("not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    X509EncodedKeySpec spec;
    try {
      spec = new X509EncodedKeySpec(Base64.getDecoder().decode(body));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM public key is not base64");
    }
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(spec);
      } catch (GeneralSecurityException notThisKind) {
        // tried the next kind below
      }
    }
    throw new IllegalArgumentException("the PEM public key is neither an RSA nor an EC key");
  }
}
