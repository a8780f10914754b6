package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The protobuf bodies of {@code kubectl create secret generic} and friends, decoded to JSON. */
class KubernetesProtobufTest {
  @Test
  void decodesASecretAsKubectlCreateSendsIt() throws Exception {
    byte[] metadata = new ProtoWriter().string(1, "vnc").string(2, "").string(3, "")
        .message(11, entry("app", "kvmguest")).toByteArray();
    byte[] secret = new ProtoWriter().message(1, metadata).message(2, entry("password", "x")).string(3, "Opaque")
        .toByteArray();
    assertEquals(PatchesTest.json("{'apiVersion':'v1','kind':'Secret','metadata':{'name':'vnc',"
            + "'labels':{'app':'kvmguest'}},'data':{'password':'eA=='},'type':'Opaque'}"),
        KubernetesProtobuf.decode(envelope("Secret", secret)));
  }

  @Test
  void decodesNamespacesAndConfigMapsAndRefusesOtherKinds() throws Exception {
    byte[] ns = new ProtoWriter().message(1, new ProtoWriter().string(1, "foo").toByteArray()).toByteArray();
    assertEquals(PatchesTest.json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'foo'}}"),
        KubernetesProtobuf.decode(envelope("Namespace", ns)));
    byte[] cm = new ProtoWriter().message(1, new ProtoWriter().string(1, "c").toByteArray())
        .message(2, entry("a", "b")).toByteArray();
    assertEquals("b", KubernetesProtobuf.decode(envelope("ConfigMap", cm)).at("/data/a").asText());
    assertThrows(IllegalArgumentException.class, () -> KubernetesProtobuf.decode(envelope("Pod", ns)));
    assertThrows(IllegalArgumentException.class, () -> KubernetesProtobuf.decode("{}".getBytes()));
  }

  private static byte[] entry(String key, String value) {
    return new ProtoWriter().string(1, key).string(2, value).toByteArray();
  }

  private static byte[] envelope(String kind, byte[] raw) {
    byte[] unknown = new ProtoWriter().message(1, new ProtoWriter().string(1, "v1").string(2, kind).toByteArray())
        .message(2, raw).string(3, "").string(4, "").toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'k', '8', 's', 0});
    out.writeBytes(unknown);
    return out.toByteArray();
  }
}
