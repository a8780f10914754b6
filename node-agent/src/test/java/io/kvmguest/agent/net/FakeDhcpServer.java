package io.kvmguest.agent.net;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** DHCP servers as pids in a map keyed by pid file; {@link #crash} simulates one dying. */
public final class FakeDhcpServer implements DhcpServer {
  private final Map<Path, Long> running = new HashMap<>();
  private final Map<Path, DhcpSettings> settings = new HashMap<>();
  private long nextPid = 4000;
  private int starts;

  @Override
  public Optional<Long> running(DhcpSettings s) {
    return Optional.ofNullable(running.get(s.pidFile()));
  }

  @Override
  public long start(DhcpSettings s) {
    if (running.containsKey(s.pidFile())) {
      throw new IllegalStateException("dnsmasq already running for " + s.pidFile());
    }
    starts++;
    running.put(s.pidFile(), ++nextPid);
    settings.put(s.pidFile(), s);
    return nextPid;
  }

  @Override
  public void stop(DhcpSettings s) {
    running.remove(s.pidFile());
  }

  public void crash(DhcpSettings s) {
    running.remove(s.pidFile());
  }

  public int starts() {
    return starts;
  }

  public List<DhcpSettings> runningSettings() {
    return running.keySet().stream().map(settings::get).toList();
  }
}
