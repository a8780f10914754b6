package io.kvmguest.agent.runtime;

import io.kvmguest.agent.disk.DiskPreparer;
import io.kvmguest.agent.disk.FileTrees;
import io.kvmguest.agent.disk.GuestRef;
import io.kvmguest.agent.disk.PreparedDrive;
import io.kvmguest.agent.disk.StorageException;
import io.kvmguest.agent.host.AcceleratorDecision;
import io.kvmguest.agent.host.HostFacts;
import io.kvmguest.agent.net.AllowedBridges;
import io.kvmguest.agent.host.OwnerOnlyFiles;
import io.kvmguest.agent.net.TapDevices;
import io.kvmguest.agent.net.TapStatus;
import io.kvmguest.agent.qemu.ImageFormat;
import io.kvmguest.agent.qemu.LaunchPlan;
import io.kvmguest.agent.qemu.LaunchPlanner;
import io.kvmguest.agent.qemu.NicModel;
import io.kvmguest.agent.qemu.QemuCommandBuilder;
import io.kvmguest.agent.qemu.ResolvedImage;
import io.kvmguest.agent.qemu.ResolvedResources;
import io.kvmguest.agent.qemu.RuntimePaths;
import io.kvmguest.agent.qemu.VncEndpoint;
import io.kvmguest.agent.qemu.VncPlan;
import io.kvmguest.agent.source.GuestIdentity;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestSupervisor;
import io.kvmguest.agent.supervise.QemuLauncher;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.validation.FieldError;
import io.kvmguest.api.validation.GuestValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Starts one guest, all or nothing: validate, choose the accelerator, prepare disks, plug taps,
 * pick a VNC display, build the argv and hand it to the supervisor. When any step fails, what the
 * earlier steps made for this start is undone (disk images stay: they are the guest's data).
 */
public final class GuestLauncher {
  private final HostFacts facts;
  private final TapDevices taps;
  private final AllowedBridges bridges;
  private final String defaultBridge;
  private final DiskPreparer disks;
  private final QemuCommandBuilder builder;
  private final GuestSupervisor supervisor;
  private final VncDisplays vncDisplays;
  private final HostPorts hostPorts;
  private final ListenAddresses listen;
  private final SecretSource secrets;
  private final Path stateDir;

  /** {@code bridges}: the agent's own bridge (a NIC naming none is on it) and the others taps may join. */
  public GuestLauncher(HostFacts facts, TapDevices taps, AllowedBridges bridges, DiskPreparer disks, QemuCommandBuilder builder,
      GuestSupervisor supervisor, VncDisplays vncDisplays, HostPorts hostPorts, ListenAddresses listen, SecretSource secrets,
      Path stateDir) {
    this.facts = facts;
    this.taps = taps;
    this.bridges = bridges;
    this.defaultBridge = bridges.own();
    this.disks = disks;
    this.builder = builder;
    this.supervisor = supervisor;
    this.vncDisplays = vncDisplays;
    this.hostPorts = hostPorts;
    this.listen = listen;
    this.secrets = secrets;
    this.stateDir = stateDir;
  }

  /** What a start produced, for status. */
  public record Started(GuestRecord record, AcceleratorDecision.Use accelerator, List<TapStatus> taps, Optional<String> vncProblem) {}

  public Started start(VirtualGuest guest) {
    String uid = GuestIdentity.uid(guest);
    List<FieldError> errors = GuestValidator.validate(guest);
    if (!errors.isEmpty()) {
      throw new GuestStartException("InvalidSpec", errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")), true);
    }
    AcceleratorDecision.Use accelerator = accelerator(guest);
    checkNicModels(guest);
    checkBridges(guest);
    checkConsolePassword(guest);
    claimHostPorts(guest, uid);
    List<PreparedDrive> drives;
    try {
      drives = prepareDisks(guest, uid);
    } catch (RuntimeException e) {
      hostPorts.release(uid);
      throw e;
    }
    Map<String, String> tapNames = GuestNics.taps(guest, uid, defaultBridge);
    List<TapStatus> plugged = new ArrayList<>();
    try {
      for (NetworkInterface nic : guest.getSpec().interfaces()) {
        String tap = tapNames.get(nic.name());
        if (tap != null) {
          plugged.add(taps.plug(tap, GuestNics.bridgeOf(nic, defaultBridge).orElseThrow()));
        }
      }
      GuestRecord record = launch(guest, uid, accelerator, drives, tapNames);
      return new Started(record, accelerator, plugged, setVncPassword(guest, uid));
    } catch (RuntimeException e) {
      plugged.forEach(t -> taps.unplug(t.tap()));
      vncDisplays.release(uid);
      hostPorts.release(uid);
      if (e instanceof GuestStartException) {
        throw e;
      }
      if (e instanceof QemuLauncher.LaunchFailedException) {
        throw new GuestStartException("QemuFailed", e.getMessage(), false);
      }
      throw new GuestStartException("StartFailed", e.toString(), false);
    }
  }

  /** Takes note of what an adopted guest holds (its VNC display, forwarded ports), so no new guest is given it. */
  public void adopted(GuestRecord record) {
    if (record.vncDisplay() != null) {
      vncDisplays.claim(record.vncDisplay(), record.uid());
    }
    hostPorts.adopt(record.uid(), record.argv());
  }

  /** Releases what a stopped guest held on the host (its taps, VNC display and forwarded ports). */
  public void release(GuestRecord record) {
    record.taps().forEach(taps::unplug);
    vncDisplays.release(record.uid());
    hostPorts.release(record.uid());
  }

  /**
   * Removes a deleted guest's runtime directory (serial log, pidfile, QMP socket). It outlives
   * the guest's stops, for a look at why it stopped, but not the guest itself.
   */
  public void removeRunDir(String uid) {
    Path dir = GuestPaths.runDir(stateDir, uid);
    try {
      FileTrees.deleteRecursively(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }


  private AcceleratorDecision.Use accelerator(VirtualGuest guest) {
    AcceleratorDecision decision = AcceleratorDecision.decide(guest.getSpec().accelerator(), facts);
    if (decision instanceof AcceleratorDecision.Refused refused) {
      throw new GuestStartException(refused.condition().reason(), refused.condition().message(), true);
    }
    return (AcceleratorDecision.Use) decision;
  }

  private void checkNicModels(VirtualGuest guest) {
    for (NetworkInterface nic : guest.getSpec().interfaces()) {
      String device = NicModel.fromApi(nic.model()).qemuDevice();
      if (!facts.supportedNicModels().isEmpty() && !facts.supportedNicModels().contains(device)) {
        throw new GuestStartException("NicModelUnsupported", "interface " + nic.name() + ": this node's qemu has no " + device
            + " device; supported here: " + String.join(", ", facts.supportedNicModels()), true);
      }
    }
  }

  /** Before anything is made for the start: a refused bridge leaves the host as it was. */
  private void checkBridges(VirtualGuest guest) {
    List<NetworkInterface> nics = guest.getSpec().interfaces();
    for (int i = 0; i < nics.size(); i++) {
      Optional<String> bridge = GuestNics.bridgeOf(nics.get(i), defaultBridge);
      if (bridge.isPresent() && !bridges.allows(bridge.get())) {
        throw new GuestStartException("BridgeNotAllowed", "spec.interfaces[" + i + "].network.bridge.name: bridge " + bridge.get()
            + " is not one this node lets guests join; allowed here: " + bridges.names()
            + " (the node agent's --bridge and --allowed-bridge)", true);
      }
    }
  }

  /** A console beyond loopback without a password would give anyone who reaches the node the guest's keyboard. */
  private void checkConsolePassword(VirtualGuest guest) {
    var vnc = guest.getSpec().vnc();
    if (vnc != null && vnc.enabled() && vnc.passwordSecretRef() == null && !VncPlan.isLoopback(listen.vncListen())) {
      throw new GuestStartException("VncPasswordRequired", VncPlan.passwordMissing(listen.vncListen()), true);
    }
  }

  /** Not permanent: the port comes free when the guest holding it stops. */
  private void claimHostPorts(VirtualGuest guest, String uid) {
    hostPorts.claim(uid, HostPorts.wanted(guest.getSpec())).ifPresent(problem -> {
      throw new GuestStartException("HostPortInUse", problem, false);
    });
  }

  private List<PreparedDrive> prepareDisks(VirtualGuest guest, String uid) {
    try {
      return disks.prepare(new GuestRef(GuestIdentity.namespace(guest), guest.getMetadata().getName(), uid), guest.getSpec());
    } catch (StorageException e) {
      if (e.retryable()) {
        throw new GuestStartException("StorageFailed", e.getMessage(), false);
      }
      throw new GuestStartException("StorageRefused", e.getMessage(), true);
    } catch (RuntimeException e) {
      throw new GuestStartException("StorageFailed", e.getMessage(), false);
    }
  }

  private GuestRecord launch(VirtualGuest guest, String uid, AcceleratorDecision.Use accelerator, List<PreparedDrive> drives,
      Map<String, String> tapNames) {
    Map<String, ResolvedImage> images = new HashMap<>();
    for (PreparedDrive drive : drives) {
      images.put(drive.name(), new ResolvedImage(drive.path(), ImageFormat.fromApi(drive.format())));
    }
    Optional<VncEndpoint> vnc = Optional.empty();
    if (guest.getSpec().vnc() != null && guest.getSpec().vnc().enabled()) {
      OptionalInt display = vncDisplays.allocate(uid);
      if (display.isEmpty()) {
        throw new GuestStartException("NoVncDisplay", "every VNC display of this node is in use", false);
      }
      vnc = Optional.of(new VncEndpoint(listen.vncListen(), display.getAsInt()));
    }
    RuntimePaths paths = GuestPaths.of(stateDir, uid);
    createRunDir(paths);
    ResolvedResources resources = new ResolvedResources(images, GuestNics.macs(guest, uid), tapNames, vnc, listen.portForward());
    LaunchPlan plan = LaunchPlanner.plan(guest.getSpec(), guest.getMetadata().getName(), uid, accelerator, resources, paths);
    List<String> argv = builder.argv(plan);
    GuestRecord draft = new GuestRecord(uid, GuestIdentity.namespace(guest), guest.getMetadata().getName(),
        paths.pidFile().toString(), paths.qmpSocket().toString(), paths.serialLog().toString(),
        List.copyOf(tapNames.values()), vnc.map(VncEndpoint::display).orElse(null), null, null, argv,
        RunPolicy.restartRequest(guest.getMetadata().getAnnotations()), SpecDigest.of(guest.getSpec()));
    return supervisor.launch(draft);
  }

  /**
   * qemu starts with {@code password=on} and no password, which refuses every VNC login; so a
   * missing Secret leaves the console locked rather than open, and the guest still runs.
   */
  private Optional<String> setVncPassword(VirtualGuest guest, String uid) {
    var vnc = guest.getSpec().vnc();
    if (vnc == null || !vnc.enabled() || vnc.passwordSecretRef() == null) {
      return Optional.empty();
    }
    Optional<String> password;
    try {
      password = secrets.read(GuestIdentity.namespace(guest), vnc.passwordSecretRef());
    } catch (RuntimeException e) {
      password = Optional.empty();
    }
    var control = supervisor.control(uid);
    if (password.isEmpty() || control.isEmpty()) {
      return Optional.of("Secret " + vnc.passwordSecretRef().name() + " key " + vnc.passwordSecretRef().key()
          + (password.isEmpty() ? " is not readable" : " could not be applied (no QMP connection)") + "; the VNC console stays locked");
    }
    try {
      control.get().setVncPassword(password.get());
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("setting the VNC password failed: " + e.getMessage() + "; the VNC console stays locked");
    }
  }

  /**
   * The run dir is 0700; the serial log is made 0600 beforehand because qemu would create it with
   * its umask, and keeps the mode of a file that exists (it only truncates it).
   */
  private void createRunDir(RuntimePaths paths) {
    try {
      OwnerOnlyFiles.directories(stateDir.resolve("run").toAbsolutePath(), paths.pidFile().getParent());
      OwnerOnlyFiles.file(paths.serialLog());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
