package io.kvmguest.agent.net;

import java.util.Optional;

/** The NAT bridge's DHCP server, one per bridge, found again after an agent restart by its pid file. */
public interface DhcpServer {

  /** The pid of the server running for these settings, if any. */
  Optional<Long> running(DhcpSettings settings);

  /** Starts it in the background and returns its pid. */
  long start(DhcpSettings settings);

  /** Stops it if it runs; removes its pid file. */
  void stop(DhcpSettings settings);
}
