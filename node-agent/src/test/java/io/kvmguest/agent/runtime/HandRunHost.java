package io.kvmguest.agent.runtime;

import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.NetnsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's hand-run host: what an admin following the hand-run notes types, with no
 * product code in the path. A bridge with an address and dnsmasq handing out leases on it, then
 * per guest a disk image, a tap on the bridge and qemu with the classic options ({@code -m},
 * {@code -hda}, {@code -cdrom}, {@code -boot d}, {@code -net nic,model=…,macaddr=…},
 * {@code -net tap}). All of it inside its own network namespace, which {@link #close} deletes
 * with everything still running in it.
 */
final class HandRunHost implements AutoCloseable {
  private static final String BRIDGE = "br0";
  private final NetnsFixture ns;
  private final Path dir;

  private HandRunHost(NetnsFixture ns, Path dir) {
    this.ns = ns;
    this.dir = dir;
  }

  /** The bridge 10.79.0.1/24 and its dnsmasq, ready for guests. */
  static HandRunHost create(Path dir) throws IOException {
    Files.createDirectories(dir);
    NetnsFixture ns = NetnsFixture.create("handrun");
    ns.exec("ip", "link", "add", BRIDGE, "type", "bridge");
    ns.exec("ip", "addr", "add", "10.79.0.1/24", "dev", BRIDGE);
    ns.exec("ip", "link", "set", BRIDGE, "up");
    ns.exec("dnsmasq", "--port=0", "--interface=" + BRIDGE, "--bind-interfaces", "--except-interface=lo",
        "--dhcp-range=10.79.0.10,10.79.0.250,1h", "--dhcp-leasefile=" + dir.resolve("leases"),
        "--pid-file=" + dir.resolve("dnsmasq.pid"));
    return new HandRunHost(ns, dir);
  }

  /**
   * Boots one guest as the notes do, the benchmark's test guest: 256 MiB, an empty 64 MiB qcow2
   * disk, the test ISO booted from, one NIC of {@code model} with {@code mac}; qemu under TCG
   * (this machine has no usable KVM) with its serial console in {@link #serial}.
   */
  void boot(String name, int index, String model, String mac) throws IOException {
    Path disk = dir.resolve(name + ".qcow2");
    ns.exec("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "64M");
    String tap = "tap" + index;
    ns.exec("ip", "tuntap", "add", "dev", tap, "mode", "tap");
    ns.exec("ip", "link", "set", tap, "master", BRIDGE, "up");
    ns.exec("qemu-system-x86_64", "-m", "256", "-smp", "1",
        "-drive", "file=" + disk + ",format=qcow2,if=ide,index=0", // -hda with the format said
        "-cdrom", GuestImages.iso().toString(), "-boot", "d",
        "-net", "nic,model=" + model + ",macaddr=" + mac, "-net", "tap,ifname=" + tap + ",script=no,downscript=no",
        "-display", "none", "-serial", "file:" + serial(name), "-daemonize", "-pidfile", dir.resolve(name + ".pid").toString());
  }

  /** Where the guests' bridge is: the host end of their traffic. */
  NetnsFixture namespace() {
    return ns;
  }

  Path serial(String name) {
    return dir.resolve(name + ".serial.log");
  }

  /** Stops every qemu and the dnsmasq (all run inside the namespace) and deletes the namespace. */
  @Override
  public void close() {
    ns.close();
  }
}
