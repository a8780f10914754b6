package io.kvmguest.api.kube;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Against the mock API server. The writes happen on the writer thread: each test waits for the Events it expects. */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesGuestEventsTest {
  private static final String NS = "guests";
  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

  KubernetesClient client;
  private final AtomicReference<Instant> now = new AtomicReference<>(START);
  private final Clock clock = ((InstantSource) now::get).withZone(ZoneOffset.UTC);
  private final VirtualGuest web = guest("web", "uid-web");

  @Test
  void twoIdenticalRecordingsAreOneEventCountedTwice() {
    try (KubernetesGuestEvents events = agentEvents(client)) {
      events.warning(web, "Crashed", "qemu exited with status 1");
      now.set(START.plusSeconds(30));
      events.warning(web, "Crashed", "qemu exited with status 1");
      awaitEvents("a count of 2", list -> list.stream().anyMatch(e -> e.getCount() == 2));
    }
    List<Event> written = events();
    assertEquals(1, written.size(), "one object for both");
    Event event = written.get(0);
    assertAll(
        () -> assertEquals(2, event.getCount()),
        () -> assertEquals("2026-12-01T10:00:00Z", event.getFirstTimestamp()),
        () -> assertEquals("2026-12-01T10:00:30Z", event.getLastTimestamp()),
        () -> assertTrue(event.getMetadata().getName().matches("web\\.[0-9a-f]{16}"), event.getMetadata().getName()),
        () -> assertEquals("Warning", event.getType()),
        () -> assertEquals("Crashed", event.getReason()),
        () -> assertEquals("qemu exited with status 1", event.getMessage()),
        () -> assertEquals("kvmguest-node-agent", event.getSource().getComponent()),
        () -> assertEquals("node-a", event.getSource().getHost()),
        () -> assertEquals("kvmguest-node-agent", event.getReportingComponent()),
        () -> assertEquals("uid-web", event.getInvolvedObject().getUid()),
        () -> assertEquals("VirtualGuest", event.getInvolvedObject().getKind()),
        () -> assertEquals("kvmguest.io/v1alpha1", event.getInvolvedObject().getApiVersion()),
        () -> assertEquals("web", event.getInvolvedObject().getName()));
  }

  @Test
  void aDifferentMessageIsASecondEvent() {
    try (KubernetesGuestEvents events = agentEvents(client)) {
      events.warning(web, "Crashed", "qemu exited with status 1");
      events.warning(web, "Crashed", "qemu exited with status 2");
      awaitEvents("two", list -> list.size() == 2);
    }
    List<Event> written = events();
    assertEquals(List.of("qemu exited with status 1", "qemu exited with status 2"), written.stream().map(Event::getMessage).sorted().toList());
    assertTrue(written.stream().allMatch(e -> e.getCount() == 1));
    assertNotEquals(written.get(0).getMetadata().getName(), written.get(1).getMetadata().getName());
  }

  @Test
  void anotherGuestsSameEventIsItsOwn() {
    try (KubernetesGuestEvents events = agentEvents(client)) {
      events.normal(web, "Started", "qemu started");
      events.normal(guest("db", "uid-db"), "Started", "qemu started");
      awaitEvents("two", list -> list.size() == 2);
    }
    assertEquals(List.of("db", "web"), events().stream().map(e -> e.getInvolvedObject().getName()).sorted().toList());
  }

  @Test
  void theWindowRunsFromTheLastOccurrence() {
    try (KubernetesGuestEvents events = agentEvents(client)) {
      events.normal(web, "Started", "qemu started");
      now.set(START.plus(KubernetesGuestEvents.REPEAT_WINDOW));
      events.normal(web, "Started", "qemu started");
      now.set(START.plus(KubernetesGuestEvents.REPEAT_WINDOW.multipliedBy(2)).plusSeconds(1));
      events.normal(web, "Started", "qemu started");
      awaitEvents("two", list -> list.size() == 2);
    }
    assertEquals(List.of(2, 1), events().stream().map(Event::getCount).toList());
  }

  @Test
  void aRepeatOfAnEventTheServerDroppedCreatesItAgainCarryingTheCount() {
    try (KubernetesGuestEvents events = agentEvents(client)) {
      events.warning(web, "Crashed", "qemu exited with status 1");
      awaitEvents("the first", list -> list.size() == 1);
      // As the API server's event TTL does.
      client.v1().events().inNamespace(NS).delete();
      now.set(START.plusSeconds(60));
      events.warning(web, "Crashed", "qemu exited with status 1");
      awaitEvents("it again", list -> list.size() == 1);
    }
    List<Event> written = events();
    assertEquals(1, written.size());
    assertEquals(2, written.get(0).getCount());
    assertEquals("2026-12-01T10:00:00Z", written.get(0).getFirstTimestamp());
    assertEquals("2026-12-01T10:01:00Z", written.get(0).getLastTimestamp());
  }

  @Test
  void withTheApiServerNotAnsweringRecordingReturnsPromptlyAndNeverThrows() throws Exception {
    // Takes connections (into the kernel's backlog) and never answers: each request hangs until the client gives up.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        KubernetesClient unreachable = new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + silent.getLocalPort()).build()).build()) {
      KubernetesGuestEvents events = agentEvents(unreachable);
      int recordings = KubernetesGuestEvents.QUEUE_CAPACITY * 4;
      long started = System.nanoTime();
      for (int i = 0; i < recordings; i++) {
        events.warning(web, "Crashed", "qemu exited with status " + i);
      }
      Duration recording = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(recording.compareTo(Duration.ofSeconds(2)) < 0, recordings + " recordings (most dropped) took " + recording);

      started = System.nanoTime();
      events.close();
      events.warning(web, "Crashed", "after close");
      Duration closing = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(closing.compareTo(Duration.ofSeconds(5)) < 0, "close() with writes hanging took " + closing);
    }
  }

  private KubernetesGuestEvents agentEvents(KubernetesClient to) {
    return new KubernetesGuestEvents(to, "kvmguest-node-agent", Optional.of("node-a"), clock);
  }

  private List<Event> events() {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .sorted(Comparator.comparing(Event::getFirstTimestamp).thenComparing(Event::getLastTimestamp)).toList();
  }

  private void awaitEvents(String what, Predicate<List<Event>> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.test(events())) {
      assertTrue(System.nanoTime() < deadline, "waited for " + what + ", have " + events());
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static VirtualGuest guest(String name, String uid) {
    VirtualGuest guest = new VirtualGuest();
    guest.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).withUid(uid).build());
    return guest;
  }
}
