package io.kvmguest.agent.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short fingerprint of the parts of a spec a running qemu was started from. runStrategy is left
 * out: the agent applies it without a restart. Pure.
 */
public final class SpecDigest {
  private SpecDigest() {}

  public static String of(VirtualGuestSpec spec) {
    ObjectNode tree = Serialization.jsonMapper().valueToTree(spec);
    tree.remove("runStrategy");
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(tree.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always provides SHA-256", e);
    }
  }
}
