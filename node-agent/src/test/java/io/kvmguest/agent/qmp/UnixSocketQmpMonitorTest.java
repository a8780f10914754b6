package io.kvmguest.agent.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class UnixSocketQmpMonitorTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir
  Path dir;

  private Path socket() {
    return dir.resolve("qmp.sock");
  }

  @Test
  void negotiatesCapabilitiesThenSendsCommandsWithArguments() throws Exception {
    try (FakeQmpServer server = FakeQmpServer.start(socket(), peer -> {
      peer.negotiate();
      JsonNode status = peer.expect("query-status");
      assertFalse(status.has("arguments"), "no arguments member when there are none");
      peer.reply(status, "{\"status\": \"running\", \"singlestep\": false, \"running\": true}");
      JsonNode password = peer.expect("change-vnc-password");
      assertEquals("s3cret", password.path("arguments").path("password").asText());
      peer.reply(password, "{}");
    }); QmpMonitor monitor = UnixSocketQmpMonitor.connect(socket(), WAIT)) {
      assertTrue(monitor.isOpen());
      assertEquals("running", monitor.execute("query-status", WAIT).path("status").asText());
      assertTrue(monitor.execute("change-vnc-password", Map.of("password", "s3cret"), WAIT).isEmpty());
      server.awaitScript(WAIT);
    }
  }

  @Test
  void matchesRepliesByIdAndDeliversInterleavedEventsInOrder() throws Exception {
    List<QmpEvent> events = new CopyOnWriteArrayList<>();
    CountDownLatch threeEvents = new CountDownLatch(3);
    CountDownLatch bothSent = new CountDownLatch(1);
    try (FakeQmpServer server = FakeQmpServer.start(socket(), peer -> {
      peer.negotiate();
      JsonNode first = peer.expect("stop");
      bothSent.countDown();
      JsonNode second = peer.expect("query-name");
      peer.event("STOP", "{}");
      peer.reply(second, "{\"name\": \"guest-a\"}"); // answered out of order
      peer.event("RESUME", "{}");
      peer.reply(first, "{}");
      peer.event("SHUTDOWN", "{\"guest\": true, \"reason\": \"guest-shutdown\"}");
    }); QmpMonitor monitor = UnixSocketQmpMonitor.connect(socket(), WAIT)) {
      monitor.subscribe(event -> {
        events.add(event);
        threeEvents.countDown();
      });
      CompletableFuture<JsonNode> stop = CompletableFuture.supplyAsync(() -> monitor.execute("stop", WAIT));
      assertTrue(bothSent.await(5, TimeUnit.SECONDS));
      JsonNode name = monitor.execute("query-name", WAIT);

      assertEquals("guest-a", name.path("name").asText());
      assertTrue(stop.get(5, TimeUnit.SECONDS).isEmpty());
      assertTrue(threeEvents.await(5, TimeUnit.SECONDS));
      assertEquals(List.of("STOP", "RESUME", "SHUTDOWN"), events.stream().map(QmpEvent::name).toList());
      QmpEvent shutdown = events.get(2);
      assertEquals("guest-shutdown", shutdown.data().path("reason").asText());
      assertEquals(Instant.ofEpochSecond(1700000000, 250_000), shutdown.timestamp());
      server.awaitScript(WAIT);
    }
  }

  @Test
  void listenerMayRunCommandsAndCanUnsubscribe() throws Exception {
    CompletableFuture<String> fromListener = new CompletableFuture<>();
    List<String> late = new CopyOnWriteArrayList<>();
    CountDownLatch subscribed = new CountDownLatch(1);
    try (FakeQmpServer server = FakeQmpServer.start(socket(), peer -> {
      peer.negotiate();
      assertTrue(subscribed.await(5, TimeUnit.SECONDS)); // events before subscribing reach nobody
      peer.event("STOP", "{}");
      JsonNode status = peer.expect("query-status");
      peer.reply(status, "{\"status\": \"paused\", \"running\": false}");
      JsonNode ping = peer.expect("query-version");
      peer.event("RESUME", "{}");
      peer.reply(ping, "{}");
    }); QmpMonitor monitor = UnixSocketQmpMonitor.connect(socket(), WAIT)) {
      QmpMonitor.Subscription subscription = monitor.subscribe(event ->
          fromListener.complete(monitor.execute("query-status", WAIT).path("status").asText()));
      subscribed.countDown();
      assertEquals("paused", fromListener.get(5, TimeUnit.SECONDS));
      subscription.close();
      CountDownLatch resumed = new CountDownLatch(1);
      monitor.subscribe(event -> {
        late.add(event.name());
        resumed.countDown();
      });
      monitor.execute("query-version", WAIT);
      server.awaitScript(WAIT); // would fail on a second query-status from the closed subscription
      assertTrue(resumed.await(5, TimeUnit.SECONDS));
      assertEquals(List.of("RESUME"), late);
    }
  }

  @Test
  void errorReplyBecomesQmpExceptionWithClassAndDescription() throws Exception {
    try (FakeQmpServer server = FakeQmpServer.start(socket(), peer -> {
      peer.negotiate();
      peer.error(peer.expect("device_del"), "DeviceNotFound", "Device 'nic9' not found");
    }); QmpMonitor monitor = UnixSocketQmpMonitor.connect(socket(), WAIT)) {
      QmpException e = assertThrows(QmpException.class,
          () -> monitor.execute("device_del", Map.of("id", "nic9"), WAIT));
      assertEquals("DeviceNotFound", e.errorClass());
      assertEquals("Device 'nic9' not found", e.description());
      assertEquals("device_del", e.command());
      assertTrue(monitor.isOpen(), "an error reply leaves the session usable");
      server.awaitScript(WAIT);
    }
  }

  @Test
  void timesOutWithoutReplyAndIgnoresTheLateReply() throws Exception {
    CountDownLatch timedOut = new CountDownLatch(1);
    try (FakeQmpServer server = FakeQmpServer.start(socket(), peer -> {
      peer.negotiate();
      JsonNode slow = peer.expect("query-status");
      assertTrue(timedOut.await(5, TimeUnit.SECONDS));
      peer.reply(slow, "{\"status\": \"stale\", \"running\": false}");
      peer.reply(peer.expect("query-status"), "{\"status\": \"running\", \"running\": true}");
    }); QmpMonitor monitor = UnixSocketQmpMonitor.connect(socket(), WAIT)) {
      long start = System.nanoTime();
      assertThrows(QmpTimeoutException.class, () -> monitor.execute("query-status", Duration.ofMillis(300)));
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2000, "bounded by the timeout");
      timedOut.countDown();
      assertEquals("running", monitor.execute("query-status", WAIT).path("status").asText());
      server.awaitScript(WAIT);
    }
  }

  @Test
  void peerHangUpFailsWaitingCommandAndFiresOnClose() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (FakeQmpServer server = FakeQmpServer.start(socket(), peer -> {
      peer.negotiate();
      peer.expect("query-status");
      peer.hangUp(); // qemu died mid-command
    }); QmpMonitor monitor = UnixSocketQmpMonitor.connect(socket(), WAIT)) {
      monitor.onClose(closed::countDown);
      long start = System.nanoTime();
      assertThrows(QmpConnectionException.class, () -> monitor.execute("query-status", Duration.ofSeconds(20)));
      assertTrue(closed.await(1, TimeUnit.SECONDS), "onClose fires within a second of the hang-up");
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2000);
      assertFalse(monitor.isOpen());
      assertThrows(QmpConnectionException.class, () -> monitor.execute("query-status", WAIT));
      CountDownLatch late = new CountDownLatch(1);
      monitor.onClose(late::countDown);
      assertEquals(0, late.getCount(), "a callback registered after the end runs at once");
      server.awaitScript(WAIT);
    }
  }

  @Test
  void anInterruptedCallerDoesNotCloseTheConnectionOthersShare() throws Exception {
    try (FakeQmpServer server = FakeQmpServer.start(socket(), peer -> {
      peer.negotiate();
      JsonNode status = peer.expect("query-status");
      peer.reply(status, "{\"status\": \"running\", \"running\": true}");
    }); QmpMonitor monitor = UnixSocketQmpMonitor.connect(socket(), WAIT)) {
      Thread.currentThread().interrupt(); // as a sampler thread shut down with shutdownNow
      try {
        assertThrows(QmpException.class, () -> monitor.execute("query-block", WAIT));
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
      } finally {
        Thread.interrupted();
      }
      assertTrue(monitor.isOpen(), "an interrupted write would have closed the channel");
      assertEquals("running", monitor.execute("query-status", WAIT).path("status").asText());
      server.awaitScript(WAIT);
    }
  }

  @Test
  void closingLocallyFiresOnClose() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (FakeQmpServer server = FakeQmpServer.start(socket(), FakeQmpServer.Peer::negotiate)) {
      QmpMonitor monitor = UnixSocketQmpMonitor.connect(socket(), WAIT);
      monitor.onClose(closed::countDown);
      monitor.close();
      monitor.close();
      assertTrue(closed.await(1, TimeUnit.SECONDS));
      assertFalse(monitor.isOpen());
      server.awaitScript(WAIT);
    }
  }

  @Test
  void skipsMalformedMessages() throws Exception {
    try (FakeQmpServer server = FakeQmpServer.start(socket(), peer -> {
      peer.negotiate();
      JsonNode request = peer.expect("query-status");
      peer.send("{\"return\": {\"status\": "); // truncated
      peer.send("[1, 2, 3]");
      peer.send("");
      peer.send("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error\"}}"); // id-less
      peer.reply(request, "{\"status\": \"running\", \"running\": true}");
    }); QmpMonitor monitor = UnixSocketQmpMonitor.connect(socket(), WAIT)) {
      assertEquals("running", monitor.execute("query-status", WAIT).path("status").asText());
      assertTrue(monitor.isOpen());
      server.awaitScript(WAIT);
    }
  }

  @Test
  void connectWaitsForTheSocketToAppear() throws Exception {
    try (FakeQmpServer server = FakeQmpServer.startAfter(Duration.ofMillis(400), socket(),
        FakeQmpServer.Peer::negotiate); QmpMonitor monitor = UnixSocketQmpMonitor.connect(socket(), WAIT)) {
      assertTrue(monitor.isOpen());
      server.awaitScript(WAIT);
    }
  }

  @Test
  void connectGivesUpWithinItsTimeoutWhenNoSocketAppears() {
    long start = System.nanoTime();
    QmpConnectionException e = assertThrows(QmpConnectionException.class,
        () -> UnixSocketQmpMonitor.connect(dir.resolve("missing.sock"), Duration.ofMillis(300)));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2000);
    assertTrue(e.getMessage().contains("missing.sock"), e.getMessage());
  }

  @Test
  void connectTimesOutWhenNoGreetingComes() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (FakeQmpServer server = FakeQmpServer.start(socket(), peer -> release.await(10, TimeUnit.SECONDS))) {
      long start = System.nanoTime();
      assertThrows(QmpTimeoutException.class, () -> UnixSocketQmpMonitor.connect(socket(), Duration.ofMillis(400)));
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2000);
      release.countDown();
      server.awaitScript(WAIT);
    }
  }

  @Test
  void connectFailsWhenTheFirstMessageIsNoGreeting() throws Exception {
    try (FakeQmpServer server = FakeQmpServer.start(socket(), peer -> peer.event("STOP", "{}"))) {
      QmpConnectionException e = assertThrows(QmpConnectionException.class,
          () -> UnixSocketQmpMonitor.connect(socket(), WAIT));
      assertTrue(e.getMessage().contains("expected the QMP greeting"), e.getMessage());
      server.awaitScript(WAIT);
    }
  }

  @Test
  void connectFailsWhenCapabilitiesAreRefused() throws Exception {
    try (FakeQmpServer server = FakeQmpServer.start(socket(), peer -> {
      peer.send(FakeQmpServer.GREETING);
      peer.error(peer.expect("qmp_capabilities"), "CommandNotFound", "Capabilities negotiation is already complete");
    })) {
      QmpException e = assertThrows(QmpException.class, () -> UnixSocketQmpMonitor.connect(socket(), WAIT));
      assertEquals("CommandNotFound", e.errorClass());
      server.awaitScript(WAIT);
    }
  }
}
