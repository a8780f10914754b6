package io.kvmguest.agent.supervise;

import io.kvmguest.agent.qmp.PowerOffOutcome;
import io.kvmguest.agent.qmp.QmpCommands;
import io.kvmguest.agent.qmp.QmpConnector;
import io.kvmguest.agent.qmp.QmpEvent;
import io.kvmguest.agent.qmp.QmpMonitor;
import java.nio.file.Path;
import java.time.Duration;

/** {@link GuestControl} over the guest's QMP socket. */
public final class QmpGuestControl implements GuestControl {
  private final QmpMonitor monitor;
  private final QmpCommands commands;
  private volatile boolean guestShutdown;

  private QmpGuestControl(QmpMonitor monitor, Duration commandTimeout) {
    this.monitor = monitor;
    this.commands = new QmpCommands(monitor, commandTimeout);
    // SHUTDOWN carries guest=true when the guest OS powered off (not a quit or a signal)
    monitor.subscribe(event -> {
      if (QmpEvent.SHUTDOWN.equals(event.name()) && event.data().path("guest").asBoolean(false)) {
        guestShutdown = true;
      }
    });
  }

  /** Connects to the record's QMP socket, waiting up to {@code connectTimeout} for it to appear. */
  public static GuestControl.Factory factory(QmpConnector connector, Duration connectTimeout, Duration commandTimeout) {
    return (record, onClose) -> {
      QmpMonitor monitor = connector.connect(Path.of(record.qmpSocket()), connectTimeout);
      monitor.onClose(onClose);
      return new QmpGuestControl(monitor, commandTimeout);
    };
  }

  @Override
  public boolean powerdown(Duration grace) {
    PowerOffOutcome outcome = commands.powerOff(grace);
    return outcome != PowerOffOutcome.QUIT;
  }

  @Override
  public void quit() {
    if (monitor.isOpen()) {
      commands.quit();
    }
  }

  @Override
  public void setVncPassword(String password) {
    commands.setVncPassword(password);
  }

  @Override
  public boolean guestShutdown() {
    return guestShutdown;
  }

  @Override
  public boolean connected() {
    return monitor.isOpen();
  }

  @Override
  public String runState() {
    return commands.queryStatus().status();
  }

  /** The monitor matches replies by id and serialises writes: this may run beside the agent's own commands. */
  @Override
  public java.util.List<io.kvmguest.agent.qmp.BlockStats> blockStats(Duration timeout) {
    return commands.queryBlockStats(timeout);
  }

  @Override
  public void close() {
    monitor.close();
  }
}
