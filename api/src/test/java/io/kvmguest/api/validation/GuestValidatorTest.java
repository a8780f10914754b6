package io.kvmguest.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvmguest.api.StrictYaml;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per rule and case: a change to a valid base guest, and the field path and message
 * fragment expected (or none, for the good cases).
 */
class GuestValidatorTest {
  private static final String BASE = """
      apiVersion: kvmguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: guest-1}
      spec:
        memory: 256Mi
        disks: [{name: root, image: {size: 1Gi}}]
        cdroms: [{name: cd, iso: {path: /isos/tiny.iso}}]
        interfaces:
          - {name: nic0, macAddress: "00:16:3e:00:00:01"}
          - {name: nic1, model: e1000}
      """;
  private static final String SHA = "a".repeat(64);

  static Stream<Arguments> cases() {
    return Stream.of(
        // NIC model
        bad("unknown NIC model", set("/spec/interfaces/0/model", "virtio-net"), "spec.interfaces[0].model", "allowed values are virtio, e1000, rtl8139"),
        bad("NIC model in wrong case", set("/spec/interfaces/0/model", "E1000"), "spec.interfaces[0].model", "is not supported"),
        good("every listed NIC model", set("/spec/interfaces/0/model", "rtl8139"), set("/spec/interfaces/1/model", "ne2k_pci")),
        good("NIC model defaults to virtio", remove("/spec/interfaces/0/model")),
        // MAC address
        bad("MAC with five octets", set("/spec/interfaces/0/macAddress", "00:16:3e:51:fb"), "spec.interfaces[0].macAddress", "six colon-separated hex octets"),
        bad("MAC with dashes", set("/spec/interfaces/0/macAddress", "00-16-3e-51-fb-ce"), "spec.interfaces[0].macAddress", "six colon-separated"),
        bad("MAC with non-hex digit", set("/spec/interfaces/0/macAddress", "00:16:3e:51:fb:cg"), "spec.interfaces[0].macAddress", "six colon-separated"),
        good("MAC in upper case", set("/spec/interfaces/0/macAddress", "00:16:3E:51:FB:CE")),
        bad("multicast MAC", set("/spec/interfaces/0/macAddress", "01:00:5e:00:00:01"), "spec.interfaces[0].macAddress", "multicast"),
        bad("broadcast MAC", set("/spec/interfaces/0/macAddress", "ff:ff:ff:ff:ff:ff"), "spec.interfaces[0].macAddress", "multicast"),
        good("locally administered unicast MAC", set("/spec/interfaces/0/macAddress", "02:00:00:00:00:01")),
        bad("all-zero MAC", set("/spec/interfaces/0/macAddress", "00:00:00:00:00:00"), "spec.interfaces[0].macAddress", "all zeros"),
        good("MAC with zero octets that is not all zero", set("/spec/interfaces/0/macAddress", "00:00:00:00:00:01")),
        bad("two NICs with one MAC, case-insensitively", set("/spec/interfaces/1/macAddress", "00:16:3E:00:00:01"), "spec.interfaces[1].macAddress", "already used by spec.interfaces[0].macAddress"),
        good("two NICs with distinct MACs", set("/spec/interfaces/1/macAddress", "00:16:3e:00:00:02")),
        // cpus
        bad("zero cpus", set("/spec/cpus", "0"), "spec.cpus", "allowed are 1 to 255"),
        bad("negative cpus", set("/spec/cpus", "-2"), "spec.cpus", "out of range"),
        bad("too many cpus", set("/spec/cpus", "256"), "spec.cpus", "allowed are 1 to 255"),
        good("one cpu", set("/spec/cpus", "1")),
        good("the maximum of cpus", set("/spec/cpus", "255")),
        // memory
        bad("memory below 16Mi", set("/spec/memory", "15Mi"), "spec.memory", "at least 16Mi"),
        bad("memory not a quantity", set("/spec/memory", "lots"), "spec.memory", "not a quantity"),
        bad("memory missing", remove("/spec/memory"), "spec.memory", "is required"),
        bad("absurd memory", set("/spec/memory", "5Ti"), "spec.memory", "at most 4Ti"),
        good("exactly 16Mi", set("/spec/memory", "16Mi")),
        good("decimal suffix memory", set("/spec/memory", "2G")),
        // boot device
        bad("no boot device", remove("/spec/disks"), remove("/spec/cdroms"), "spec", "no boot device"),
        good("network boot only", remove("/spec/disks"), remove("/spec/cdroms"), set("/spec/boot", "{order: [network]}")),
        good("cdrom only", remove("/spec/disks")),
        // boot order
        bad("two devices with one bootOrder", set("/spec/disks/0/bootOrder", "1"), set("/spec/cdroms/0/bootOrder", "1"), "spec.cdroms[0].bootOrder", "already used by spec.disks[0].bootOrder"),
        bad("bootOrder zero", set("/spec/disks/0/bootOrder", "0"), "spec.disks[0].bootOrder", "start at 1"),
        good("distinct bootOrders", set("/spec/disks/0/bootOrder", "2"), set("/spec/cdroms/0/bootOrder", "1")),
        bad("boot.order names a kind twice", set("/spec/boot", "{order: [disk, disk]}"), "spec.boot.order[1]", "listed twice"),
        bad("boot.order names an unknown kind", set("/spec/boot", "{order: [floppy]}"), "spec.boot.order[0]", "allowed values are disk, cdrom, network"),
        bad("boot.once cdrom without a cdrom", remove("/spec/cdroms"), set("/spec/boot", "{once: cdrom}"), "spec.boot.once", "does not have"),
        good("install: boot once from cdrom", set("/spec/boot", "{order: [disk, cdrom], once: cdrom}")),
        // disks: exactly one of image / blockDevice
        bad("disk with both image and blockDevice", set("/spec/disks/0/blockDevice", "{path: /dev/sdb1}"), "spec.disks[0]", "both image and blockDevice"),
        bad("disk with neither image nor blockDevice", remove("/spec/disks/0/image"), "spec.disks[0]", "neither image nor blockDevice"),
        good("block device disk", remove("/spec/disks/0/image"), set("/spec/disks/0/blockDevice", "{path: /dev/sdb1}")),
        bad("empty image without size", set("/spec/disks/0/image", "{format: raw}"), "spec.disks[0].image.size", "required for an empty image"),
        bad("image size not a quantity", set("/spec/disks/0/image/size", "big"), "spec.disks[0].image.size", "not a positive quantity"),
        bad("unknown image format", set("/spec/disks/0/image/format", "vmdk"), "spec.disks[0].image.format", "allowed values are qcow2, raw"),
        bad("unknown disk bus", set("/spec/disks/0/bus", "sata"), "spec.disks[0].bus", "allowed values are virtio, ide, scsi"),
        good("ide disk cloned from a base", set("/spec/disks/0", "{name: root, bus: ide, image: {source: {path: /base/debian.qcow2}}}")),
        // paths
        bad("relative ISO path", set("/spec/cdroms/0/iso/path", "isos/tiny.iso"), "spec.cdroms[0].iso.path", "relative"),
        bad("path with ..", set("/spec/cdroms/0/iso/path", "/isos/../etc/shadow"), "spec.cdroms[0].iso.path", "'..'"),
        bad("path with NUL", set("/spec/cdroms/0/iso/path", "\"/isos/a\\0.iso\""), "spec.cdroms[0].iso.path", "NUL"),
        bad("path with newline", set("/spec/cdroms/0/iso/path", "\"/isos/a\\n.iso\""), "spec.cdroms[0].iso.path", "newlines"),
        bad("path with comma (qemu option injection)", set("/spec/cdroms/0/iso/path", "\"/isos/a.iso,format=raw,file.locking=off\""), "spec.cdroms[0].iso.path", "comma"),
        bad("block device path relative", remove("/spec/disks/0/image"), set("/spec/disks/0/blockDevice", "{path: sdb1}"), "spec.disks[0].blockDevice.path", "relative"),
        bad("base image path with comma", set("/spec/disks/0/image/source", "{path: '/base/a,b.qcow2'}"), "spec.disks[0].image.source.path", "comma"),
        good("absolute path with dots in names", set("/spec/cdroms/0/iso/path", "/isos/debian-12.5.0..amd64.iso")),
        bad("iso with neither path nor http", set("/spec/cdroms/0/iso", "{}"), "spec.cdroms[0].iso", "neither path nor http"),
        // http sources
        bad("http source without sha256", set("/spec/cdroms/0/iso", "{http: {url: 'https://example.org/a.iso'}}"), "spec.cdroms[0].iso.http.sha256", "is required"),
        bad("http source with a short sha256", set("/spec/cdroms/0/iso", "{http: {url: 'https://example.org/a.iso', sha256: abc}}"), "spec.cdroms[0].iso.http.sha256", "64 hex digits"),
        bad("ftp source", set("/spec/cdroms/0/iso", "{http: {url: 'ftp://example.org/a.iso', sha256: " + SHA + "}}"), "spec.cdroms[0].iso.http.url", "http:// or https://"),
        bad("path and http together", set("/spec/cdroms/0/iso", "{path: /isos/a.iso, http: {url: 'https://example.org/a.iso', sha256: " + SHA + "}}"), "spec.cdroms[0].iso", "both path and http"),
        good("http source with sha256", set("/spec/disks/0/image/source", "{http: {url: 'https://example.org/d.qcow2', sha256: " + SHA + "}}")),
        // names
        bad("guest name not a DNS label", set("/metadata/name", "Guest_1"), "metadata.name", "not a DNS label"),
        bad("disk name not a DNS label", set("/spec/disks/0/name", "Root Disk"), "spec.disks[0].name", "not a DNS label"),
        bad("interface name too long", set("/spec/interfaces/0/name", "n".repeat(64)), "spec.interfaces[0].name", "at most 63"),
        bad("interface name missing", remove("/spec/interfaces/0/name"), "spec.interfaces[0].name", "is required"),
        bad("cdrom named like a disk", set("/spec/cdroms/0/name", "root"), "spec.cdroms[0].name", "already used by spec.disks[0]"),
        bad("two interfaces with one name", set("/spec/interfaces/1/name", "nic0"), "spec.interfaces[1].name", "must be unique"),
        good("names with digits and dashes", set("/spec/disks/0/name", "root-0"), set("/spec/interfaces/0/name", "lan-1")),
        // enumerations
        bad("unknown runStrategy", set("/spec/runStrategy", "Sometimes"), "spec.runStrategy", "Always, RerunOnFailure, Once, Manual, Halted"),
        good("runStrategy Halted", set("/spec/runStrategy", "Halted")),
        bad("unknown accelerator", set("/spec/accelerator", "hvf"), "spec.accelerator", "auto, kvm, tcg"),
        good("accelerator tcg", set("/spec/accelerator", "tcg")),
        // networks
        bad("bridge and user together", set("/spec/interfaces/0/network", "{bridge: {name: br0}, user: {}}"), "spec.interfaces[0].network", "both bridge and user"),
        bad("bridge name too long for Linux", set("/spec/interfaces/0/network", "{bridge: {name: a-very-long-bridge}}"), "spec.interfaces[0].network.bridge.name", "not a Linux interface name"),
        bad("port out of range", set("/spec/interfaces/0/network", "{user: {portForwards: [{hostPort: 70000, guestPort: 22}]}}"), "spec.interfaces[0].network.user.portForwards[0].hostPort", "1 to 65535"),
        bad("host port forwarded twice", set("/spec/interfaces/0/network", "{user: {portForwards: [{hostPort: 2222, guestPort: 22}, {hostPort: 2222, guestPort: 23}]}}"), "spec.interfaces[0].network.user.portForwards[1].hostPort", "already forwarded"),
        bad("unknown protocol", set("/spec/interfaces/0/network", "{user: {portForwards: [{protocol: SCTP, hostPort: 2222, guestPort: 22}]}}"), "spec.interfaces[0].network.user.portForwards[0].protocol", "TCP, UDP"),
        good("same port on TCP and UDP", set("/spec/interfaces/0/network", "{user: {portForwards: [{hostPort: 53, guestPort: 53}, {protocol: UDP, hostPort: 53, guestPort: 53}]}}")),
        // vnc
        bad("vnc secret name invalid", set("/spec/vnc", "{enabled: true, passwordSecretRef: {name: My_Secret}}"), "spec.vnc.passwordSecretRef.name", "not a valid object name"),
        good("vnc with a password secret", set("/spec/vnc", "{enabled: true, passwordSecretRef: {name: vnc.passwords, key: guest-1}}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rule(String description, List<Consumer<ObjectNode>> edits, String path, String fragment) throws IOException {
    ObjectNode doc = (ObjectNode) StrictYaml.documents(BASE).get(0);
    edits.forEach(edit -> edit.accept(doc));
    List<FieldError> errors = GuestValidator.validate(StrictYaml.guest(doc));
    if (path == null) {
      assertEquals(List.of(), errors, description);
    } else {
      assertTrue(errors.stream().anyMatch(e -> e.path().equals(path) && e.message().contains(fragment)),
          description + ": expected " + path + " containing \"" + fragment + "\" but got " + errors);
    }
  }

  @Test
  void baseGuestIsValid() throws IOException {
    assertEquals(List.of(), GuestValidator.validate(StrictYaml.guest(StrictYaml.documents(BASE).get(0))));
  }

  @Test
  void crossGuestMacMessageNamesTheOtherGuest() {
    String message = MacConflicts.message("00:16:3e:00:00:01", MacConflicts.otherGuest("team-a", "web", "lan"));
    assertEquals("\"00:16:3e:00:00:01\" is already used by interface lan of VirtualGuest team-a/web: every NIC needs"
        + " its own MAC address; omit macAddress to have a unique one generated", message);
  }

  @Test
  void controlCharactersInValuesAreShownEscaped() throws IOException {
    ObjectNode doc = (ObjectNode) StrictYaml.documents(BASE).get(0);
    set("/spec/interfaces/0/model", "\"virtio\\nFAKE LOG LINE\"").accept(doc);
    String message = GuestValidator.validate(StrictYaml.guest(doc)).get(0).message();
    assertTrue(message.contains("virtio\\x0aFAKE"), message);
  }

  // --- table helpers: edits are JSON-pointer paths with YAML values ---

  @SafeVarargs
  private static Arguments bad(String description, Object... editsThenPathAndFragment) {
    int n = editsThenPathAndFragment.length;
    return Arguments.of(description, edits(editsThenPathAndFragment, n - 2),
        editsThenPathAndFragment[n - 2], editsThenPathAndFragment[n - 1]);
  }

  private static Arguments good(String description, Object... edits) {
    return Arguments.of(description, edits(edits, edits.length), null, null);
  }

  @SuppressWarnings("unchecked")
  private static List<Consumer<ObjectNode>> edits(Object[] items, int count) {
    return Stream.of(items).limit(count).map(o -> (Consumer<ObjectNode>) o).toList();
  }

  private static Consumer<ObjectNode> set(String pointer, String yamlValue) {
    return doc -> {
      JsonNode value = parse(yamlValue);
      int slash = pointer.lastIndexOf('/');
      JsonNode parent = doc.at(pointer.substring(0, slash));
      String last = pointer.substring(slash + 1);
      if (parent instanceof ArrayNode array) {
        array.set(Integer.parseInt(last), value);
      } else {
        ((ObjectNode) parent).set(last, value);
      }
    };
  }

  private static Consumer<ObjectNode> remove(String pointer) {
    return doc -> {
      int slash = pointer.lastIndexOf('/');
      ((ObjectNode) doc.at(pointer.substring(0, slash))).remove(pointer.substring(slash + 1));
    };
  }

  private static JsonNode parse(String yamlValue) {
    try {
      return StrictYaml.MAPPER.readTree(yamlValue);
    } catch (IOException e) {
      throw new IllegalArgumentException(yamlValue, e);
    }
  }
}
