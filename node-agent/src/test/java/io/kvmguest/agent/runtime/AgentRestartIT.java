package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.NodeAgentMain;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestRecordStore;
import io.kvmguest.agent.supervise.LinuxProcessTable;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as its own process: SIGKILL it, the guest keeps running, the next agent adopts it. */
class AgentRestartIT {
  @TempDir Path tmp;
  private NetnsFixture node;
  private AgentHarness h;
  private final List<Process> agents = new ArrayList<>();
  private final LinuxProcessTable processes = new LinuxProcessTable();

  @BeforeEach
  void setUp() throws IOException {
    Requirements.guestHost();
    node = NetnsFixture.create("restart");
    h = new AgentHarness(tmp, node);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    for (Process agent : agents) {
      agent.destroy();
      if (!agent.waitFor(40, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
    }
    if (node != null) {
      node.close();
    }
  }

  private Process startAgent(String logName) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> argv = List.of(java, "-cp", System.getProperty("java.class.path"), NodeAgentMain.class.getName(),
        "--state-dir", h.stateDir.toString(), "--guests-dir", h.guestsDir.toString(), "--netns", node.name(),
        "--allowed-dir", GuestImages.OUT.toString(), "--stop-grace", "15", "--node-name", "restart-node");
    Process agent = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(tmp.resolve(logName).toFile()).start();
    agents.add(agent);
    return agent;
  }

  private String log(String name) throws IOException {
    return Files.readString(tmp.resolve(name));
  }

  @Test
  void sigkilledAgentLeavesTheGuestRunningAndTheNextAgentAdoptsIt() throws Exception {
    Process first = startAgent("agent1.log");
    h.apply("survivor", NodeAgentIT.isoGuest("survivor", "virtio").formatted("Always"));
    VirtualGuestStatus running = h.awaitStatus("survivor", s -> "Running".equals(s.phase()) && !s.interfaces().isEmpty()
        && s.interfaces().get(0).ipAddress() != null, Duration.ofSeconds(180), "Running with an IP");
    String ip = running.interfaces().get(0).ipAddress();
    GuestRecord record = new GuestRecordStore(h.stateDir).load(AgentHarness.uid("survivor")).orElseThrow();

    first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing cleaned up
    assertTrue(first.waitFor(10, TimeUnit.SECONDS));
    AgentHarness.sleep(1000);
    assertTrue(processes.isOurs(record.pid(), record.pidFile()), "the guest must outlive its agent");
    assertTrue(h.pings(ip), "the guest still answers with no agent");

    Files.delete(h.guestsDir.resolve("status").resolve("default_survivor.status.yaml"));
    startAgent("agent2.log");
    VirtualGuestStatus adopted = h.awaitStatus("survivor", s -> "Running".equals(s.phase()) && !s.interfaces().isEmpty()
        && s.interfaces().get(0).ipAddress() != null, Duration.ofSeconds(60), "reported Running by the new agent");
    assertEquals(ip, adopted.interfaces().get(0).ipAddress());
    assertEquals(record.pid(), new GuestRecordStore(h.stateDir).load(AgentHarness.uid("survivor")).orElseThrow().pid(),
        "adopted, not restarted");
    assertTrue(log("agent2.log").contains("adopted running guest default/survivor"), log("agent2.log"));
    assertFalse(log("agent2.log").contains("started: qemu pid"), "the new agent must not start a second qemu");

    h.delete("survivor");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (processes.isOurs(record.pid(), record.pidFile()) && System.nanoTime() < deadline) {
      AgentHarness.sleep(250);
    }
    assertFalse(processes.isOurs(record.pid(), record.pidFile()), "the adopting agent stops the guest on delete");
    AgentHarness.sleep(500);
    assertFalse(h.links().contains(" kvg"), "taps left behind:\n" + h.links());
  }
}
