package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with a real guest: NAT bridge, a tap named for the guest's NIC, the tiny test
 * guest booted by qemu (TCG) on that tap inside the namespace; it gets a lease from our dnsmasq,
 * the lease file tells its address, and it answers ping.
 */
class NatGuestBootIT {
  private static final String MAC = "00:16:3e:4b:10:07";
  private static final Pattern READY = Pattern.compile("KVMGUEST-READY iface=eth0 driver=(\\S+) mac=(\\S+) ip=([0-9.]+)");

  @TempDir Path dir;
  private NetnsFixture node;
  private Optional<Long> qemuPid = Optional.empty();

  @BeforeEach
  void namespace() {
    Requirements.root();
    for (String binary : List.of("ip", "dnsmasq", "iptables", "sysctl", "ping", "qemu-system-x86_64")) {
      Requirements.binary(binary);
    }
    node = NetnsFixture.create("natboot");
  }

  @AfterEach
  void cleanUp() {
    qemuPid.flatMap(ProcessHandle::of).ifPresent(qemu -> {
      qemu.destroy();
      try {
        qemu.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        qemu.destroyForcibly();
      }
    });
    if (node != null) {
      node.close();
    }
  }

  @Test
  void guestOnANatTapGetsALeaseAndAnswersPing() throws Exception {
    Path iso = GuestImages.iso();
    LinuxHostNetwork net = new LinuxHostNetwork(node.runner());
    NetworkConfig config = NetworkConfig.defaults(NetworkMode.NAT, dir.resolve("state"));
    NatBridge nat = new NatBridge(net, new LinuxNatFirewall(node.runner()), new LinuxDhcpServer(node.runner()), config);
    assertTrue(nat.ensure().ready());
    TapDevices taps = new TapDevices(net);
    String tap = TapNames.forNic("0b6c3c4e-guest-uid", "eth0");
    assertTrue(taps.plug(tap, config.bridge()).attached());

    Path serial = dir.resolve("serial.log");
    Path pidFile = dir.resolve("qemu.pid");
    node.runner().check(List.of("qemu-system-x86_64", "-accel", "tcg", "-m", "256", "-nodefaults",
        "-display", "none", "-monitor", "none", "-serial", "file:" + serial,
        "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no,vhost=off",
        "-device", "virtio-net-pci,netdev=n0,mac=" + MAC,
        "-cdrom", iso.toString(), "-boot", "d", "-daemonize", "-pidfile", pidFile.toString()), Duration.ofSeconds(60));
    qemuPid = Optional.of(Long.parseLong(Files.readString(pidFile).strip()));

    Matcher ready = awaitSerial(serial, Duration.ofSeconds(180));
    String ip = ready.group(3);
    assertEquals(MAC, ready.group(2));
    assertTrue(config.natSubnet().contains(ip), ip);

    GuestAddresses addresses = GuestAddresses.forConfig(net, config, Clock.systemUTC());
    assertEquals(Optional.of(ip), addresses.ipv4Of(MAC), "the lease file names the guest's address");
    assertTrue(new LinuxReachability(node.runner()).reachable(ip, Duration.ofSeconds(30)), "guest " + ip + " does not answer ping");

    ProcessHandle.of(qemuPid.get()).ifPresent(ProcessHandle::destroy);
    taps.unplug(tap);
    nat.teardown();
    assertTrue(net.link(tap).isEmpty() && net.link("br0").isEmpty());
  }

  private static Matcher awaitSerial(Path serial, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String text = "";
    while (System.nanoTime() < deadline) {
      text = Files.exists(serial) ? Files.readString(serial) : "";
      Matcher m = READY.matcher(text);
      if (m.find()) {
        return m;
      }
      if (text.contains("KVMGUEST-NOLEASE")) {
        break;
      }
      Thread.sleep(500);
    }
    return fail("no KVMGUEST-READY on the guest's serial console within " + timeout.toSeconds() + " s; console:\n" + text);
  }
}
