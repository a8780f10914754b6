package io.kvmguest.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.api.status.StatusOwnership;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.operator.reconcile.GuestMetadata;
import io.kvmguest.api.status.Conditions;
import io.kvmguest.operator.status.ConflictSafeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * Plays the node agents' part on the guests (the operator module cannot run the real agent; the
 * standalone module's StatusContractTest runs both for real): writes an agent part (phase, Ready)
 * merged by the shared {@link StatusOwnership#mergeAgent} with the operator's conflict-safe writer,
 * removes the cleanup finalizer, and optionally "starts" every guest that gets a node label
 * (Starting, then Running at once).
 */
public final class FakeNodeAgent implements AutoCloseable {
  private final KubernetesClient client;
  private final ConflictSafeStatus status;
  private final ExecutorService workers = Executors.newFixedThreadPool(8);
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private SharedIndexInformer<VirtualGuest> informer;

  public FakeNodeAgent(KubernetesClient client) {
    this.client = client;
    this.status = new ConflictSafeStatus(client, retry());
  }

  /** Sets phase and the Ready condition as the agent would, keeping the operator's fields. */
  public VirtualGuest report(String namespace, String name, String phase, String ready, String readyMessage) {
    VirtualGuest read = client.resources(VirtualGuest.class).inNamespace(namespace).withName(name).require();
    return status.update(read, s -> agentWrite(s, phase, ready, readyMessage)).orElseThrow().guest();
  }

  private static VirtualGuestStatus agentWrite(VirtualGuestStatus latest, String phase, String ready, String readyMessage) {
    GuestCondition condition = new GuestCondition(ClusterContract.READY_CONDITION, ready, "True".equals(ready) ? "Running" : "NotRunning", readyMessage, null, null);
    VirtualGuestStatus agentPart = VirtualGuestStatus.empty().withPhase(phase)
        .withConditions(Conditions.keepTransitionTimes(latest.conditions(), List.of(condition), Instant.now()));
    return StatusOwnership.mergeAgent(latest, agentPart);
  }

  private static ConflictRetry retry() {
    return new ConflictRetry(50, Duration.ofMillis(1), Duration.ofMillis(100));
  }

  /** The agent finished cleaning up a deleted guest. */
  public void finishCleanup(String namespace, String name) {
    VirtualGuest read = client.resources(VirtualGuest.class).inNamespace(namespace).withName(name).require();
    new GuestMetadata(client, retry()).removeFinalizer(read);
  }

  public long conflicts() {
    return status.conflicts();
  }

  /** Runs (Starting, then Running) every guest labelled for a node, once each; tells {@code onRunning}. */
  public FakeNodeAgent startGuestsAsTheyArrive(BiConsumer<VirtualGuest, Instant> onRunning) {
    informer = client.resources(VirtualGuest.class).inAnyNamespace().withLabel(ClusterContract.NODE_LABEL).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(VirtualGuest guest) {
        start(guest, onRunning);
      }

      @Override
      public void onUpdate(VirtualGuest old, VirtualGuest guest) {
        start(guest, onRunning);
      }

      @Override
      public void onDelete(VirtualGuest guest, boolean unknown) {
      }
    });
    return this;
  }

  private void start(VirtualGuest guest, BiConsumer<VirtualGuest, Instant> onRunning) {
    if (guest.isMarkedForDeletion() || !started.add(guest.getMetadata().getUid())) {
      return;
    }
    workers.submit(() -> {
      String ns = guest.getMetadata().getNamespace();
      String name = guest.getMetadata().getName();
      report(ns, name, "Starting", "False", "qemu starting");
      VirtualGuest running = report(ns, name, "Running", "True", "guest running");
      onRunning.accept(running, Instant.now());
    });
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    workers.shutdownNow();
  }
}
