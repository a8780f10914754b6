package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.runtime.Iperf3.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

class NicThroughputTest {
  private static final Direction IN = Direction.HOST_TO_GUEST;

  @Test
  void theMedianRoundCountsSoOneStalledRoundDoesNotMoveTheFigure() {
    NicThroughput r = new NicThroughput("e1000", IN, List.of(900.0, 10.0, 800.0), List.of(850.0, 840.0, 20.0));
    assertEquals(800, r.product());
    assertEquals(840, r.handRun());
    assertEquals(800 / 840.0, r.ratio(), 1e-9);
    assertTrue(r.met(), "0.95 is the bar, 0.952 passes");
    assertEquals(15, NicThroughput.median(List.of(10.0, 20.0)));
  }

  @Test
  void aProductBelowNinetyFivePercentOfTheHandRunIsMarkedMissed() {
    NicThroughput slow = new NicThroughput("virtio", IN, List.of(94.0), List.of(100.0));
    assertFalse(slow.met());
    String section = NicThroughput.section(List.of(slow), 1, 5);
    assertTrue(section.contains("| virtio | host → guest | 94; 94 | 100; 100 | 0.94 **missed** |"), section);
  }

  @Test
  void theOrderingHoldsOnlyWhenEachModelIsFasterThanTheOneBefore() {
    List<NicThroughput> ordered = List.of(row("virtio", 3000), row("rtl8139", 300), row("e1000", 900));
    assertTrue(NicThroughput.ordered(ordered, IN, NicThroughputBenchmark.MODELS, NicThroughput::product));
    List<NicThroughput> swapped = List.of(row("virtio", 3000), row("rtl8139", 950), row("e1000", 900));
    assertFalse(NicThroughput.ordered(swapped, IN, NicThroughputBenchmark.MODELS, NicThroughput::product));
    assertFalse(NicThroughput.ordered(List.of(row("virtio", 3000)), IN, NicThroughputBenchmark.MODELS, NicThroughput::product),
        "a model not measured proves no order");
    assertTrue(NicThroughput.section(swapped, 1, 5).contains("host → guest, rtl8139 < e1000 < virtio: **does not hold** through the product"));
  }

  @Test
  void iperf3sReceivedRateIsReadAndAReportWithoutOneIsAnError() {
    String report = "{\"end\": {\"sum_sent\": {\"bits_per_second\": 2.0e9}, \"sum_received\": {\"bits_per_second\": 1.5e9}}}";
    assertEquals(1500, Iperf3.receivedMbps(Iperf3.parse(report)), 1e-9);
    assertTrue(Iperf3.parse("garbage").has("error"));
    assertThrows(IllegalStateException.class, () -> Iperf3.receivedMbps(Iperf3.parse("{\"end\": {}}")));
  }

  private static NicThroughput row(String model, double mbps) {
    return new NicThroughput(model, IN, List.of(mbps), List.of(mbps));
  }
}
