package io.kvmguest.agent.runtime;

import io.kvmguest.agent.disk.DiskPreparer;
import io.kvmguest.agent.net.TapDevices;
import io.kvmguest.agent.source.StatusSink;
import io.kvmguest.agent.supervise.GuestSupervisor;
import io.kvmguest.api.kube.GuestEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * What every guest's work uses, built once in the agent's wiring and shared by all guest workers:
 * each part is safe to call from several workers at once.
 *
 * @param ipOfMac the guest's verified IPv4 address for a MAC (see {@code GuestAddresses})
 * @param observer told about starts, restarts and boots (metrics), on the guest's worker thread
 */
public record GuestServices(StatusSink sink, GuestEvents events, GuestLauncher launcher, GuestSupervisor supervisor,
    TapDevices taps, DiskPreparer disks, HistoryStore histories, Function<String, Optional<String>> ipOfMac,
    String defaultBridge, String vncListen, Duration stopGrace, Clock clock, AgentObserver observer) {
}
