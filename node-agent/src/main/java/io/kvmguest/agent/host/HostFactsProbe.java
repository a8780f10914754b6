package io.kvmguest.agent.host;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@link HostFacts} from the host: files through {@link HostFiles}, qemu through a {@link CommandRunner}. */
public final class HostFactsProbe {
  static final Path CPUINFO = Path.of("/proc/cpuinfo");
  static final Path MEMINFO = Path.of("/proc/meminfo");
  static final Path PROC_MODULES = Path.of("/proc/modules");
  static final Path SYS_MODULE = Path.of("/sys/module");
  static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");
  static final Path DEV_KVM = Path.of("/dev/kvm");
  static final Path DEV_VHOST_NET = Path.of("/dev/vhost-net");
  static final Path DEV_NET_TUN = Path.of("/dev/net/tun");

  private static final Duration QEMU_TIMEOUT = Duration.ofSeconds(30);

  private final HostFiles files;
  private final CommandRunner runner;
  private final List<Path> qemuCandidates;

  /** @param qemuCandidates where to look for qemu-system-x86_64, first existing one wins */
  public HostFactsProbe(HostFiles files, CommandRunner runner, List<Path> qemuCandidates) {
    this.files = files;
    this.runner = runner;
    this.qemuCandidates = List.copyOf(qemuCandidates);
  }

  /** The usual install locations: a local build first, then the distribution's package. */
  public static List<Path> defaultQemuCandidates() {
    return List.of(
        Path.of("/usr/local/bin/qemu-system-x86_64"),
        Path.of("/usr/bin/qemu-system-x86_64"),
        Path.of("/usr/libexec/qemu-kvm"));
  }

  public HostFacts probe() {
    CpuInfo cpu = CpuInfoParser.parse(files.read(CPUINFO).orElse(""));
    MemInfo memory = MemInfoParser.parse(files.read(MEMINFO)
        .orElseThrow(() -> new IllegalStateException("cannot read " + MEMINFO)));
    Optional<Path> qemu = qemuCandidates.stream().filter(files::exists).findFirst();
    String version = qemu.flatMap(q -> qemuOutput(q, "-version")).flatMap(QemuVersionParser::parse).orElse(null);
    Set<String> nicModels = qemu.flatMap(q -> qemuOutput(q, "-device", "help"))
        .map(QemuDeviceHelpParser::networkDevices)
        .orElse(Set.of());
    return new HostFacts(
        cpu.vendor(),
        cpu.flag(),
        KernelModules.kvmModule(loadedModules()),
        files.exists(DEV_KVM) && files.opensReadWrite(DEV_KVM),
        files.read(OSRELEASE).map(String::strip).orElse(""),
        files.exists(DEV_VHOST_NET),
        files.exists(DEV_NET_TUN),
        qemu.orElse(null),
        version,
        nicModels,
        memory.totalBytes(),
        memory.availableBytes(),
        Math.max(cpu.cpus(), 1));
  }

  private Set<String> loadedModules() {
    Set<String> loaded = new LinkedHashSet<>();
    files.read(PROC_MODULES).map(KernelModules::parseProcModules).ifPresent(loaded::addAll);
    // Built-in modules (such as kvm_pvm here) are absent from /proc/modules but have a /sys/module entry.
    loaded.addAll(files.list(SYS_MODULE));
    return loaded;
  }

  private Optional<String> qemuOutput(Path qemu, String... args) {
    List<String> argv = new ArrayList<>(List.of(qemu.toString()));
    argv.addAll(List.of(args));
    CommandResult result = runner.run(argv, QEMU_TIMEOUT);
    return result.ok() ? Optional.of(result.stdout()) : Optional.empty();
  }
}
