package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.api.kube.GuardedPatches;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The optimistic lock the sink relies on, against the fabric8 7.5.2 CRUD mock server — and why it
 * is a guarded JSON patch and not a status PUT: the mock accepts a PUT to /status with a stale
 * resourceVersion (a lost update), while a patch that sets /metadata/resourceVersion to a stale value
 * gets 409 Conflict, as on a real API server.
 */
@EnableKubernetesMockClient(crud = true)
class GuardedWriteTest {
  private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

  KubernetesClient client;
  MockCluster cluster;
  Resource<VirtualGuest> guest;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
    cluster.create(MockCluster.guest("ns1", "vm", "node-a"));
    guest = cluster.guest("ns1", "vm");
  }

  @Test
  void theMockLetsAStaleStatusPutThroughWhichIsWhyTheSinkDoesNotUseIt() {
    VirtualGuest first = guest.get();
    VirtualGuest second = guest.get();
    first.setStatus(VirtualGuestStatus.empty().withPhase("Running"));
    client.resource(first).updateStatus();
    second.setStatus(VirtualGuestStatus.empty().withPhase("Failed"));

    client.resource(second).updateStatus(); // stale resourceVersion, yet accepted

    assertEquals("Failed", guest.get().getStatus().phase());
  }

  @Test
  void aGuardedStatusPatchWithAStaleResourceVersionIsAConflict() {
    String read = guest.get().getMetadata().getResourceVersion();
    guest.subresource("status").patch(JSON_PATCH, GuardedPatches.replaceStatus(read, VirtualGuestStatus.empty().withPhase("Running")));

    var e = assertThrows(KubernetesClientException.class, () -> guest.subresource("status")
        .patch(JSON_PATCH, GuardedPatches.replaceStatus(read, VirtualGuestStatus.empty().withPhase("Failed"))));

    assertEquals(409, e.getCode());
    assertEquals("Running", guest.get().getStatus().phase());
  }

  @Test
  void aGuardedFinalizerPatchWithAStaleResourceVersionIsAConflict() {
    String read = guest.get().getMetadata().getResourceVersion();
    guest.patch(JSON_PATCH, GuardedPatches.replaceFinalizers(read, List.of("a.io/x")));

    var e = assertThrows(KubernetesClientException.class,
        () -> guest.patch(JSON_PATCH, GuardedPatches.replaceFinalizers(read, List.of("b.io/y"))));

    assertEquals(409, e.getCode());
    assertEquals(List.of("a.io/x"), guest.get().getMetadata().getFinalizers());
  }

  @Test
  void conflictRetryReadsAgainAndWritesOnTopOfTheOtherWrite() {
    ConflictRetry retry = new ConflictRetry(3, Duration.ofMillis(1), Duration.ofMillis(5));
    AtomicInteger attempts = new AtomicInteger();

    retry.run("test write", () -> {
      VirtualGuest latest = guest.get();
      if (attempts.incrementAndGet() == 1) {
        // Someone else writes between this attempt's read and its write.
        guest.subresource("status").patch(JSON_PATCH, GuardedPatches.replaceStatus(latest.getMetadata().getResourceVersion(),
            VirtualGuestStatus.empty().withPhase("Scheduled")));
      }
      VirtualGuestStatus mine = (latest.getStatus() == null ? VirtualGuestStatus.empty() : latest.getStatus()).withConditions(
          List.of(Statuses.condition("Ready", "True", "Running")));
      return guest.subresource("status").patch(JSON_PATCH, GuardedPatches.replaceStatus(latest.getMetadata().getResourceVersion(), mine));
    });

    assertEquals(2, attempts.get());
    VirtualGuestStatus status = guest.get().getStatus();
    assertEquals("Scheduled", status.phase(), "the other write survived");
    assertEquals(List.of("Ready"), Statuses.types(status));
  }

  @Test
  void conflictRetryGivesUpAfterItsAttemptsAndPassesOtherErrorsOn() {
    ConflictRetry retry = new ConflictRetry(3, Duration.ofMillis(1), Duration.ofMillis(5));
    AtomicInteger attempts = new AtomicInteger();

    var e = assertThrows(IllegalStateException.class, () -> retry.run("status of ns1/vm", () -> {
      attempts.incrementAndGet();
      throw new KubernetesClientException("conflict", 409, null);
    }));
    assertEquals(3, attempts.get());
    assertEquals(true, e.getMessage().startsWith("status of ns1/vm: still conflicting after 3 attempts"), e.getMessage());

    var forbidden = assertThrows(KubernetesClientException.class, () -> retry.run("x", () -> {
      throw new KubernetesClientException("forbidden", 403, null);
    }));
    assertEquals(403, forbidden.getCode());
  }
}
