package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.kube.KubernetesGuestEvents;
import java.util.Optional;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl get events / get nodes print a real cluster's columns, and kubectl describe vg lists the guest's
 * Events, recorded the way the operator records them (POST of a core v1 Event through the client).
 */
class KubectlEventsAndNodesTest {

  @TempDir
  Path tmp;
  EmbeddedApiServer server;
  Kubectl kubectl;
  KubernetesGuestEvents events;

  @BeforeEach
  void start() throws IOException {
    Path state = Files.createDirectories(tmp.resolve("state"));
    server = EmbeddedApiServer.start(state, 0);
    kubectl = new Kubectl(server.writeKubeconfig(state.resolve("kubeconfig")),
        Files.createDirectories(tmp.resolve("home")));
    // Half an hour ago: ages of ten minutes and more print in whole minutes, so the rows do not tick while read.
    Instant recorded = Instant.now().minus(Duration.ofMinutes(30));
    events = new KubernetesGuestEvents(server.client(), "kvmguest-operator", Optional.empty(), Clock.fixed(recorded, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void getEventsPrintsLastSeenTypeReasonObjectMessage() {
    events.warning(Guests.create(server.client(), "demo", Map.of()), "NoNode", "no node can host 128Mi");
    events.close(); // the recorder writes in the background: close waits for it

    List<String> lines = kubectl.ok("get", "events").lines().toList();
    assertEquals(List.of("LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"), words(lines.get(0)));
    assertEquals(List.of("30m", "Warning", "NoNode", "virtualguest/demo", "no", "node", "can", "host", "128Mi"),
        words(lines.get(1)));

    List<String> wide = kubectl.ok("get", "events", "-o", "wide").lines().toList();
    assertEquals(List.of("LAST", "SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST",
        "SEEN", "COUNT", "NAME"), words(wide.get(0)));
    assertTrue(wide.get(1).contains("kvmguest-operator") && wide.get(1).matches(".*128Mi +30m +1 +demo\\.\\w+$"),
        wide.get(1));
  }

  @Test
  void getNodesPrintsStatusRolesAgeVersion() {
    server.registerNode("host1", Map.of("node-role.kubernetes.io/control-plane", ""));
    server.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("host2").endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("False").endCondition()
        .withNewNodeInfo().withKubeletVersion("v1.31.2").endNodeInfo().endStatus().build()).create();
    server.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("host3")
        .addToLabels("kubernetes.io/role", "storage").endMetadata().withNewSpec().withUnschedulable(true).endSpec()
        .build()).create();

    List<String> lines = kubectl.ok("get", "nodes").lines().toList();
    assertEquals(List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION"), words(lines.get(0)));
    List<String> host1 = words(lines.get(1));
    assertEquals(List.of("host1", "Ready", "control-plane"), host1.subList(0, 3));
    assertTrue(host1.get(4).matches("v\\d+\\.\\d+\\.0-kvmguest-standalone"), lines.get(1));
    assertEquals(List.of("host2", "NotReady", "<none>"), words(lines.get(2)).subList(0, 3));
    assertEquals("v1.31.2", words(lines.get(2)).get(4));
    // No Ready condition at all: Unknown; the kubelet version column stays empty, as on a real server.
    assertEquals(List.of("host3", "Unknown,SchedulingDisabled", "storage"), words(lines.get(3)).subList(0, 3));

    String wideHeader = kubectl.ok("get", "nodes", "-o", "wide").lines().findFirst().orElseThrow();
    assertEquals(List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE",
        "KERNEL-VERSION", "CONTAINER-RUNTIME"), words(wideHeader));
  }

  @Test
  void describeListsTheGuestsEventsOnly() {
    VirtualGuest demo = Guests.create(server.client(), "demo", Map.of());
    VirtualGuest other = Guests.create(server.client(), "other", Map.of());
    events.normal(demo, "Scheduled", "placed on host1");
    events.warning(other, "NoNode", "no node for other");
    events.close();

    String described = kubectl.ok("describe", "vg", "demo");
    String eventsSection = described.substring(described.indexOf("\nEvents:"));
    assertTrue(eventsSection.contains("Scheduled") && eventsSection.contains("placed on host1")
        && eventsSection.contains("kvmguest-operator"), described);
    assertFalse(eventsSection.contains("NoNode") || eventsSection.contains("no node for other"), described);
  }

  @Test
  void eventsArePatchedLikeTheRecorderBumpsThem() {
    events.normal(Guests.create(server.client(), "demo", Map.of()), "Started", "qemu is up");
    events.close();
    String name = kubectl.ok("get", "events", "-o", "jsonpath={.items[0].metadata.name}");
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

    kubectl.ok("patch", "event", name, "--type=merge", "-p", "{\"count\":2,\"lastTimestamp\":\"" + now + "\"}");
    kubectl.ok("patch", "event", name, "--type=strategic", "-p", "{\"count\":3}");

    assertEquals("3 " + now, kubectl.ok("get", "event", name, "-o", "jsonpath={.count} {.lastTimestamp}"));
    List<String> row = words(kubectl.ok("get", "events", "-o", "wide", "--no-headers").strip());
    assertTrue(row.get(0).matches("\\d+s"), "last seen is the patched lastTimestamp: " + row);
    assertEquals(List.of("Normal", "Started"), row.subList(1, 3));
    assertEquals(List.of("30m", "3", name), row.subList(row.size() - 3, row.size()));
    String described = kubectl.ok("describe", "vg", "demo");
    assertTrue(described.contains("(x3 over 30m)") && described.contains("qemu is up"), described);
  }

  private static List<String> words(String line) {
    return List.of(line.trim().split("\\s+"));
  }
}
