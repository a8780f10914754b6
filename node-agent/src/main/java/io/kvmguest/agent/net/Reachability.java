package io.kvmguest.agent.net;

import java.time.Duration;

/** Whether an IPv4 address answers from this node, checked for at most {@code within}. */
public interface Reachability {
  boolean reachable(String ipv4, Duration within);
}
