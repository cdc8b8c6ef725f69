// Signs a Strata embed token (HS256 JWT) with nothing but the JDK (Java 11+): no Maven
// artifacts needed. This is the Java counterpart of signEmbedToken() in ../portal-server.mjs.
//
// Run it as a script (single-file source launcher):
//
//   java EmbedToken.java <kid> <secret> <sub> <seconds> [scopeJson]
//   java EmbedToken.java sek_XXXX 'the-secret' rm:R0001 600 '{"customers":["C000123"]}'
//
// or copy sign() into the portal's back end. Rules for the portal:
// - Sign on the SERVER, one token per page view, and put only the token in the page. The secret
//   never goes to the browser, into JavaScript, into logs or into source control.
// - Keep tokens short-lived: Strata refuses any token whose lifetime (exp - iat) exceeds 3600 s;
//   a few minutes (e.g. 600 s) is plenty, since the page gets a new one on every load.
// - The secret is used exactly as Strata showed it: its UTF-8 bytes are the HMAC key (do not
//   base64-decode it).

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public final class EmbedToken {
  private EmbedToken() {}

  /** Strata's limit on a token's lifetime (exp - iat), in seconds. */
  public static final long MAX_SECONDS = 3600;

  /**
   * Returns a compact HS256 JWT for Strata's widgets.
   *
   * @param kid the embed key's id, as shown in Strata ("sek_..."); goes in the header
   * @param secret the embed key's secret, as shown once when the key was made
   * @param sub who acts: "rm:<RM code>" or "user:<Strata username>"; the widgets then show
   *     exactly what that person may see, with their masking
   * @param scopeJson null, or a JSON object narrowing that person's scope, one of
   *     {"customers":["<external id>", ...]}, {"branch":"<org unit code>"} or
   *     {"resources":["strategy:<key>","segment:<key>"]}; build it from trusted values only
   * @param seconds how long the token lives, 1 to 3600
   */
  public static String sign(String kid, String secret, String sub, String scopeJson, long seconds) {
    if (seconds < 1 || seconds > MAX_SECONDS)
      throw new IllegalArgumentException("seconds must be between 1 and " + MAX_SECONDS);
    if (scopeJson != null && !scopeJson.strip().matches("(?s)\\{.*\\}"))
      throw new IllegalArgumentException("scopeJson must be a JSON object");
    long iat = Instant.now().getEpochSecond(); // issued at: now, in seconds since 1970 (UTC)
    String header = "{\"alg\":\"HS256\",\"kid\":" + json(kid) + "}";
    String claims =
        "{\"sub\":" + json(sub) // who acts
            + ",\"iat\":" + iat // when the token was issued
            + ",\"exp\":" + (iat + seconds) // when it stops being accepted
            + (scopeJson == null ? "" : ",\"scope\":" + scopeJson.strip()) // optional narrowing
            + "}";
    String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
        + base64Url(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + base64Url(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /** Base64url without padding, as JWTs use. */
  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped. */
  private static String json(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c)); // other controls, U+2028/9
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }

  /** java EmbedToken.java <kid> <secret> <sub> <seconds> [scopeJson]: prints the token. */
  public static void main(String[] args) {
    if (args.length < 4 || args.length > 5) {
      System.err.println("usage: java EmbedToken.java <kid> <secret> <sub> <seconds> [scopeJson]");
      System.exit(64);
    }
    String scope = args.length == 5 ? args[4] : null;
    System.out.println(sign(args[0], args[1], args[2], scope, Long.parseLong(args[3])));
  }
}
