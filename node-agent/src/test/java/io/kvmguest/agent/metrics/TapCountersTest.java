package io.kvmguest.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvmguest.agent.exec.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TapCountersTest {
  /** `ip -s -j link show` (iproute2 6.1) with a bridge, a guest's tap on it and a link without statistics. */
  static final String IP_S_J_LINK = """
      [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN",
        "linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00",
        "broadcast":"00:00:00:00:00:00","stats64":{"rx":{"bytes":5,"packets":1,"errors":0,"dropped":0,"over_errors":0,"multicast":0},
        "tx":{"bytes":5,"packets":1,"errors":0,"dropped":0,"carrier_errors":0,"collisions":0}}},
       {"ifindex":7,"ifname":"kvmbr0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue",
        "operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:aa:bb:cc:dd:ee",
        "broadcast":"ff:ff:ff:ff:ff:ff","stats64":{"rx":{"bytes":100,"packets":2,"errors":0,"dropped":0,"over_errors":0,"multicast":0},
        "tx":{"bytes":200,"packets":3,"errors":0,"dropped":0,"carrier_errors":0,"collisions":0}}},
       {"ifindex":9,"ifname":"kgabc0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"fq_codel",
        "master":"kvmbr0","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether",
        "address":"fe:54:00:12:34:56","broadcast":"ff:ff:ff:ff:ff:ff",
        "stats64":{"rx":{"bytes":111,"packets":11,"errors":1,"dropped":2,"over_errors":0,"multicast":0},
        "tx":{"bytes":999,"packets":99,"errors":3,"dropped":4,"carrier_errors":0,"collisions":0}}},
       {"ifindex":10,"ifname":"odd0","flags":[],"mtu":1500}]
      """;

  @Test
  void aTapsTransmitIsItsGuestsReceive() {
    Map<String, TapCounters> links = TapCounters.parse(IP_S_J_LINK);
    assertEquals(new TapCounters(999, 111, 99, 11, 3, 1, 4, 2), links.get("kgabc0"));
    assertEquals(List.of("lo", "kvmbr0", "kgabc0"), List.copyOf(links.keySet()), "a link without statistics is left out");
  }

  @Test
  void notIpJsonIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> TapCounters.parse("Device \"x\" does not exist."));
    assertThrows(IllegalArgumentException.class, () -> TapCounters.parse("{}"));
  }

  @Test
  void ipTapCountersRunsOneIpThroughTheAgentsRunner() {
    List<List<String>> ran = new ArrayList<>();
    IpTapCounters taps = new IpTapCounters((argv, timeout) -> {
      ran.add(argv);
      return new CommandResult(argv, 0, IP_S_J_LINK, "");
    });
    assertEquals(999, taps.read().get("kgabc0").receiveBytes());
    assertEquals(List.of(List.of("ip", "-s", "-j", "link", "show")), ran);
  }
}
