package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.host.OwnerOnlyFiles;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one tenant's guest is kept from, through the agent's own code with real qemu under TCG in a
 * throwaway network namespace: the agent listens for consoles on 0.0.0.0 and forwards ports on an
 * address of that namespace only. A running guest's qemu is under seccomp and its files are the
 * agent's alone; a second guest asking for a taken host port, and a console without a password,
 * are refused with the spec field at fault.
 */
class GuestIsolationIT {
  private static final String FORWARD_ADDRESS = "10.213.0.1";
  private static final int HOST_PORT = 18022;
  private static final Pattern READY = Pattern.compile("KVMGUEST-READY iface=eth0");

  @TempDir Path tmp;
  private NetnsFixture node;
  private AgentHarness h;
  private NodeAgent agent;

  @BeforeEach
  void setUp() throws IOException {
    Requirements.guestHost();
    node = NetnsFixture.create("isol");
    // the forward address exists only inside the test namespace (on its loopback: no dummy links here)
    node.exec("ip", "link", "set", "lo", "up");
    node.exec("ip", "addr", "add", FORWARD_ADDRESS + "/32", "dev", "lo");
    h = new AgentHarness(tmp, node);
    agent = h.startAgent("it-node", "--stop-grace", "5", "--vnc-listen", "0.0.0.0", "--port-forward-address", FORWARD_ADDRESS);
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close(false);
    }
    if (node != null) {
      node.close(); // ends, by pid, anything still running in the namespace
    }
  }

  private static String userNetGuest(String name, int hostPort, String vnc) {
    return """
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: %s}
        spec:
          memory: 256Mi
          disks: [{name: root, image: {size: 64Mi}}]
          cdroms: [{name: cd, iso: {path: %s}}]
          boot: {order: [disk, cdrom], once: cdrom}
          interfaces: [{name: up, model: e1000, network: {user: {portForwards: [{hostPort: %d, guestPort: 22}]}}}]
          %s
        """.formatted(name, GuestImages.iso(), hostPort, vnc);
  }

  private static Optional<GuestCondition> notReady(VirtualGuestStatus s, String reason) {
    return s.conditions().stream().filter(c -> c.type().equals("Ready") && reason.equals(c.reason())).findFirst();
  }

  @Test
  void sandboxedPrivateGuestAndRefusalsNamingTheField() throws IOException {
    h.apply("first", userNetGuest("first", HOST_PORT, ""));
    h.awaitSerial("first", READY, Duration.ofSeconds(240));
    long pid = agent.guestViews().stream().filter(v -> v.name().equals("first")).findFirst().flatMap(GuestView::pid).orElseThrow();

    // -sandbox: the kernel reports seccomp filter mode (2) for the running qemu
    String procStatus = Files.readString(Path.of("/proc/" + pid + "/status"));
    assertTrue(procStatus.contains("Seccomp:\t2"), "qemu is not under a seccomp filter:\n" + procStatus);

    // the forward listens on the configured address only
    String listeners = node.exec("ss", "-Hltn").stdout();
    assertTrue(listeners.contains(FORWARD_ADDRESS + ":" + HOST_PORT), "no listener on " + FORWARD_ADDRESS + ":" + HOST_PORT + ":\n" + listeners);
    assertFalse(listeners.contains("0.0.0.0:" + HOST_PORT) || listeners.contains("*:" + HOST_PORT), listeners);

    // the agent's files for this guest: 0700 directories, 0600 files (qemu's serial log and pidfile included)
    String uid = AgentHarness.uid("first");
    Path runDir = GuestPaths.runDir(h.stateDir, uid);
    assertMode("rwx------", runDir);
    assertMode("rw-------", runDir.resolve("serial.log"));
    assertMode("rw-------", runDir.resolve("qemu.pid"));
    assertMode("rwx------", h.stateDir.resolve("records"));
    assertMode("rw-------", h.stateDir.resolve("records").resolve(uid + ".json"));
    Path disks;
    try (Stream<Path> guests = Files.list(h.stateDir.resolve("guests"))) {
      disks = guests.filter(p -> p.getFileName().toString().contains(uid)).findFirst().orElseThrow().resolve("disks");
    }
    assertMode("rwx------", disks.getParent().getParent());
    assertMode("rwx------", disks.getParent());
    assertMode("rwx------", disks);
    assertMode("rw-------", disks.resolve("root.qcow2"));

    // a second guest wanting the same host port is refused, naming its field; the first runs on
    h.apply("second", userNetGuest("second", HOST_PORT, ""));
    VirtualGuestStatus second = h.awaitStatus("second", s -> notReady(s, "HostPortInUse").isPresent(), Duration.ofSeconds(60),
        "Ready=False HostPortInUse");
    String message = notReady(second, "HostPortInUse").get().message();
    assertTrue(message.startsWith("spec.interfaces[0].network.user.portForwards[0].hostPort: TCP port " + HOST_PORT), message);
    System.out.println("FIGURE host-port-in-use: " + message);

    // VNC on 0.0.0.0 without a password is refused
    h.apply("open-console", userNetGuest("open-console", HOST_PORT + 1, "vnc: {enabled: true}"));
    VirtualGuestStatus open = h.awaitStatus("open-console", s -> notReady(s, "VncPasswordRequired").isPresent(),
        Duration.ofSeconds(60), "Ready=False VncPasswordRequired");
    String vncMessage = notReady(open, "VncPasswordRequired").get().message();
    assertTrue(vncMessage.startsWith("spec.vnc.passwordSecretRef is required"), vncMessage);
    System.out.println("FIGURE vnc-password-required: " + vncMessage);

    assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the first guest runs on");
  }

  private static void assertMode(String expected, Path path) throws IOException {
    assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(path)), path.toString());
    assertEquals(expected.startsWith("rwx") ? OwnerOnlyFiles.DIRECTORY : OwnerOnlyFiles.FILE, Files.getPosixFilePermissions(path));
  }
}
