package io.kvmguest.standalone.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The embedded API's one credential, a random bearer token. The API drives a node agent that runs as root, so
 * without it any local user, or a guest that reaches the host's loopback through a port forward, could start
 * qemu with any disk the agent may open. It is kept in the state dir (mode 0600) so that a restart does not
 * invalidate kubeconfigs already handed out (to containers in tests, to a user's shell).
 */
public final class ApiToken {
  private static final int RANDOM_BYTES = 32;
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final String BEARER = "Bearer ";
  private final String value;

  private ApiToken(String value) {
    this.value = value;
  }

  /**
   * The token saved in file, or a new one saved there. A saved token that others could read, or that is not one
   * this class wrote, is replaced: it may have leaked, and a fresh one costs only a re-read kubeconfig.
   */
  public static ApiToken loadOrCreate(Path file) {
    try {
      if (Files.isRegularFile(file) && PrivateFiles.ownerOnly(file)) {
        String saved = Files.readString(file).strip();
        if (WELL_FORMED.matcher(saved).matches()) {
          return new ApiToken(saved);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the API token " + file, e);
    }
    ApiToken fresh = new ApiToken(random());
    PrivateFiles.write(file, fresh.value + "\n", "the API token");
    return fresh;
  }

  public String value() {
    return value;
  }

  /** Whether an Authorization header carries this token; compared in constant time so timing reveals nothing. */
  boolean admits(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.startsWith(BEARER)) {
      return false;
    }
    byte[] offered = authorizationHeader.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(offered, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "ApiToken[redacted]";
  }

  private static String random() {
    byte[] bytes = new byte[RANDOM_BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
