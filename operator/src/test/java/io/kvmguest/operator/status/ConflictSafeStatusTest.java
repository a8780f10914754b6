package io.kvmguest.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.api.status.Conditions;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.operator.testing.Guests;
import io.kvmguest.operator.testing.TestCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two writers (operator-like and agent-like) hammering one status never lose each other's fields. */
@EnableKubernetesMockClient(crud = true, https = false)
class ConflictSafeStatusTest {
  private static final int WRITES = 15;
  KubernetesClient client;

  /** One stored version of the status as a write returned it. */
  private record Version(long resourceVersion, int operatorCount, int agentCount) {}

  @Test
  void concurrentWritersOfDifferentFieldsNeverUndoEachOther() throws Exception {
    TestCluster.installCrd(client);
    VirtualGuest guest = client.resource(Guests.guest("ns", "g", "64Mi", 1)).create();
    ConflictSafeStatus operator = new ConflictSafeStatus(client, new ConflictRetry(200, Duration.ofMillis(1), Duration.ofMillis(50)));
    ConflictSafeStatus agent = new ConflictSafeStatus(client, new ConflictRetry(200, Duration.ofMillis(1), Duration.ofMillis(50)));
    List<Version> versions = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    Future<?> a = threads.submit(() -> writeMany(operator, guest, "Valid", go, versions));
    Future<?> b = threads.submit(() -> writeMany(agent, guest, "Ready", go, versions));
    go.countDown();
    a.get(60, TimeUnit.SECONDS);
    b.get(60, TimeUnit.SECONDS);
    threads.shutdown();

    VirtualGuest last = client.resource(guest).get();
    assertEquals(WRITES, count(last.getStatus(), "Valid"));
    assertEquals(WRITES, count(last.getStatus(), "Ready"));
    assertTrue(operator.conflicts() + agent.conflicts() > 0, "the writers did collide");
    versions.sort(Comparator.comparingLong(Version::resourceVersion));
    for (int i = 1; i < versions.size(); i++) {
      Version before = versions.get(i - 1);
      Version now = versions.get(i);
      assertTrue(now.operatorCount() >= before.operatorCount() && now.agentCount() >= before.agentCount(),
          "a write undid the other side's: " + before + " then " + now);
    }
    assertEquals(2 * WRITES, versions.size(), "every write landed once");
  }

  private static Void writeMany(ConflictSafeStatus writer, VirtualGuest guest, String type, CountDownLatch go, List<Version> versions) throws InterruptedException {
    go.await();
    for (int i = 1; i <= WRITES; i++) {
      int n = i;
      VirtualGuest written = writer.update(guest, s -> s.withConditions(Conditions.upsert(s.conditions(),
          List.of(new GuestCondition(type, "True", "Test", Integer.toString(n), null, null)), Instant.now()))).orElseThrow().guest();
      versions.add(new Version(Long.parseLong(written.getMetadata().getResourceVersion()), count(written.getStatus(), "Valid"), count(written.getStatus(), "Ready")));
    }
    return null;
  }

  private static int count(VirtualGuestStatus status, String type) {
    return Conditions.find(status.conditions(), type).map(c -> Integer.parseInt(c.message())).orElse(0);
  }
}
