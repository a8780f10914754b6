package io.kvmguest.operator.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.api.kube.GuardedPatches;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.net.HttpURLConnection;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Status writes that never lose another writer's fields (docs/cluster-contract.md): apply a
 * change to the status as last read, send it with the resourceVersion read, and on 409 read
 * again and reapply ({@link ConflictRetry}).
 *
 * <p>The write is a JSON Patch of the status subresource: {@code replace /metadata/resourceVersion}
 * with the version read (the API server refuses a patched object whose resourceVersion is not the
 * current one: 409), then {@code add /status} with the whole new status. Alternatives that fail
 * against fabric8's CRUD mock server (7.5.2; see MockServerLockingTest): a PUT of /status is
 * accepted whatever its resourceVersion; a JSON merge patch appends to arrays (conditions) instead
 * of replacing them; a failing JSON Patch {@code test} op makes the mock drop the request, so the
 * client hangs until its timeout.
 */
public final class ConflictSafeStatus {
  private final KubernetesClient client;
  private final ConflictRetry retry;

  /** The outcome: the guest as the server returned it, and the status the change was applied to. */
  public record Change(VirtualGuest guest, VirtualGuestStatus before, boolean written) {
    public VirtualGuestStatus after() {
      return guest.getStatus() == null ? VirtualGuestStatus.empty() : guest.getStatus();
    }
  }

  public ConflictSafeStatus(KubernetesClient client, ConflictRetry retry) {
    this.client = client;
    this.retry = retry;
  }

  /**
   * Applies {@code change} to the status of {@code read} (tried first, as it may well be current)
   * and then to fresh reads until the write is accepted. Writes nothing when the change leaves the
   * status as it is. Empty when the guest no longer exists.
   */
  public Optional<Change> update(VirtualGuest read, UnaryOperator<VirtualGuestStatus> change) {
    return retry.run("status of VirtualGuest " + name(read), read, () -> reread(read), current -> {
      if (current == null) {
        return Optional.empty();
      }
      VirtualGuestStatus before = current.getStatus() == null ? VirtualGuestStatus.empty() : current.getStatus();
      VirtualGuestStatus after = change.apply(before);
      if (after.equals(before)) {
        return Optional.of(new Change(current, before, false));
      }
      try {
        return Optional.of(new Change(write(current, after), before, true));
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return Optional.empty();
        }
        throw e;
      }
    });
  }

  /** How many writes were refused with 409 so far (each was retried). */
  public long conflicts() {
    return retry.conflicts();
  }

  private VirtualGuest reread(VirtualGuest guest) {
    return client.resources(VirtualGuest.class).inNamespace(guest.getMetadata().getNamespace()).withName(guest.getMetadata().getName()).get();
  }

  private VirtualGuest write(VirtualGuest current, VirtualGuestStatus after) {
    String patch = GuardedPatches.replaceStatus(current.getMetadata().getResourceVersion(), after);
    // resource(current), not withName(..): fabric8 then patches without reading the object first.
    return client.resource(current).subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
  }

  private static String name(VirtualGuest guest) {
    return guest.getMetadata().getNamespace() + "/" + guest.getMetadata().getName();
  }
}
