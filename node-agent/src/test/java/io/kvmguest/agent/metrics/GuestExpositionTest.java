package io.kvmguest.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.api.metrics.PrometheusEndpoint;
import io.kvmguest.api.v1alpha1.Enums;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fake snapshots registered with a real Prometheus registry, asserted on its scrape text. */
class GuestExpositionTest {
  private final AtomicReference<MetricsSnapshot> latest = new AtomicReference<>(MetricsSnapshot.empty(Snapshots.NODE));
  private PrometheusEndpoint endpoint;

  @BeforeEach
  void setUp() {
    endpoint = PrometheusEndpoint.withJvmMetrics();
    endpoint.prometheusRegistry().register(new GuestMetricsCollector(latest::get));
  }

  @Test
  void exportsEveryContractNameWithHelpAndType() {
    latest.set(Snapshots.of(Snapshots.sampled(Snapshots.running("u1", "vm1", 42))));
    String text = endpoint.scrape();
    Set<String> typed = families(text, "TYPE");
    Set<String> helped = families(text, "HELP");
    for (String name : GuestExposition.NAMES) {
      assertTrue(typed.contains(name), name + " has a # TYPE line in:\n" + text);
      assertTrue(helped.contains(name), name + " has a # HELP line");
    }
    Set<String> ours = new TreeSet<>();
    typed.stream().filter(n -> n.startsWith("kvmguest_")).forEach(ours::add);
    Set<String> expected = new TreeSet<>(GuestExposition.NAMES);
    assertEquals(expected, ours, "no kvmguest_ family beyond the contract");
    assertTrue(text.contains("# TYPE kvmguest_guest_cpu_seconds_total counter"), text);
    assertTrue(text.contains("# TYPE kvmguest_guest_boot_seconds histogram"), text);
    assertTrue(text.contains("# TYPE kvmguest_guest_info gauge"), text);
  }

  @Test
  void guestSeriesCarryTheirLabelsAndGuestPointOfViewValues() {
    latest.set(Snapshots.of(Snapshots.sampled(Snapshots.running("u1", "vm1", 42))));
    String text = endpoint.scrape();
    String guest = "name=\"vm1\",namespace=\"ns1\",node=\"node-a\"";
    assertHas(text, "kvmguest_guest_info{accelerator=\"kvm\",machine=\"pc\"," + guest + ",phase=\"Running\",qemu_version=\"7.2.22\"} 1");
    assertHas(text, "kvmguest_guest_up{" + guest + "} 1");
    assertHas(text, "kvmguest_guest_vcpus{" + guest + "} 2");
    assertHas(text, "kvmguest_guest_memory_bytes{" + guest + "} 5.36870912E8");
    assertHas(text, "kvmguest_guest_cpu_seconds_total{" + guest + "} 12.34");
    assertHas(text, "kvmguest_guest_memory_resident_bytes{" + guest + "} 3.145728E8");
    String nic = "{interface=\"eth0\",mac=\"52:54:00:12:34:56\",model=\"virtio\"," + guest + "}";
    assertHas(text, "kvmguest_guest_network_receive_bytes_total" + nic + " 1000");
    assertHas(text, "kvmguest_guest_network_transmit_bytes_total" + nic + " 2000");
    assertHas(text, "kvmguest_guest_network_transmit_dropped_total" + nic + " 4");
    assertFalse(text.contains("interface=\"user0\""), "a user-mode NIC has no tap, so no counters");
    String drive = "{drive=\"root\"," + guest + "}";
    assertHas(text, "kvmguest_guest_block_read_bytes_total" + drive + " 4096");
    assertHas(text, "kvmguest_guest_block_write_operations_total" + drive + " 8");
    assertHas(text, "kvmguest_guest_block_read_seconds_total" + drive + " 1.5");
    assertHas(text, "kvmguest_guest_block_write_seconds_total" + drive + " 2.5");
    assertHas(text, "kvmguest_guest_block_flush_operations_total" + drive + " 5");
    assertHas(text, "kvmguest_guest_restarts_total{" + guest + "} 1");
    assertHas(text, "kvmguest_guest_start_seconds_bucket{" + guest + ",le=\"1.0\"} 1");
    assertHas(text, "kvmguest_guest_start_seconds_bucket{" + guest + ",le=\"0.5\"} 0");
    assertHas(text, "kvmguest_guest_boot_seconds_bucket{" + guest + ",le=\"20.0\"} 1");
    assertHas(text, "kvmguest_guest_boot_seconds_bucket{" + guest + ",le=\"+Inf\"} 1");
    assertHas(text, "kvmguest_guest_boot_seconds_count{" + guest + "} 1");
    assertHas(text, "kvmguest_guest_boot_seconds_sum{" + guest + "} 12.0");
  }

  @Test
  void nodeSeriesCountEveryPhaseAndTheMemoryOfRunningGuests() {
    latest.set(Snapshots.of(Snapshots.sampled(Snapshots.running("u1", "vm1", 42)),
        Snapshots.unsampled(Snapshots.running("u2", "vm2", 43)), Snapshots.unsampled(Snapshots.stopped("u3", "vm3"))));
    String text = endpoint.scrape();
    for (Enums.Phase phase : Enums.Phase.values()) {
      long expected = switch (phase) {
        case Running -> 2;
        case Stopped -> 1;
        default -> 0;
      };
      assertHas(text, "kvmguest_node_guests{node=\"node-a\",phase=\"" + phase + "\"} " + expected);
    }
    assertHas(text, "kvmguest_node_kvm_usable{node=\"node-a\"} 1");
    assertHas(text, "kvmguest_node_allocatable_memory_bytes{node=\"node-a\"} 8.589934592E9");
    assertHas(text, "kvmguest_node_allocated_memory_bytes{node=\"node-a\"} 1.073741824E9");
    assertHas(text, "kvmguest_guest_up{name=\"vm3\",namespace=\"ns1\",node=\"node-a\"} 0");
    assertFalse(text.contains("kvmguest_guest_cpu_seconds_total{name=\"vm3\""), "no process, no CPU series");
  }

  @Test
  void aGuestThatLeftHasNoSeriesAtTheNextScrape() {
    latest.set(Snapshots.of(Snapshots.sampled(Snapshots.running("u1", "vm1", 42)),
        Snapshots.sampled(Snapshots.running("u2", "vm2", 43))));
    assertTrue(endpoint.scrape().contains("name=\"vm2\""));

    latest.set(Snapshots.of(Snapshots.sampled(Snapshots.running("u1", "vm1", 42))));
    String text = endpoint.scrape();
    assertFalse(text.contains("name=\"vm2\""), text);
    assertTrue(text.contains("name=\"vm1\""));
  }

  @Test
  void withNoGuestsTheNodeSeriesAreStillThere() {
    String text = endpoint.scrape();
    assertHas(text, "kvmguest_node_guests{node=\"node-a\",phase=\"Pending\"} 0");
    assertHas(text, "kvmguest_node_allocated_memory_bytes{node=\"node-a\"} 0");
  }

  private static void assertHas(String text, String line) {
    assertTrue(text.lines().anyMatch(l -> l.equals(line) || l.startsWith(line + " ") || numericallyEqual(l, line)),
        "expected the line\n  " + line + "\nin\n" + ours(text));
  }

  /** "x 1" matches "x 1.0": the writer picks the float spelling. */
  private static boolean numericallyEqual(String actual, String expected) {
    int a = actual.lastIndexOf(' ');
    int e = expected.lastIndexOf(' ');
    if (a < 0 || e < 0 || !actual.substring(0, a).equals(expected.substring(0, e))) {
      return false;
    }
    try {
      return Double.parseDouble(actual.substring(a + 1)) == Double.parseDouble(expected.substring(e + 1));
    } catch (NumberFormatException ex) {
      return false;
    }
  }

  private static String ours(String text) {
    return String.join("\n", text.lines().filter(l -> l.contains("kvmguest_")).toList());
  }

  static Set<String> families(String text, String kind) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("^# " + kind + " (\\S+) ", Pattern.MULTILINE).matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
