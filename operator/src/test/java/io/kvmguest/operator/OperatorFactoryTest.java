package io.kvmguest.operator;

import static io.kvmguest.operator.testing.Guests.guest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.testing.Poll;
import io.kvmguest.operator.testing.TestCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class OperatorFactoryTest {
  KubernetesClient client;

  @Test
  void buildsWithoutStartingAndWithLeaderElectionOnALeaseNamedForTheOperator() {
    GuestOperator operator = OperatorFactory.build(client, TestCluster.testOptions().withLeaderElectionNamespace(Optional.of("kvmguest-system")), new SimpleMeterRegistry());
    var election = operator.jdkOperator().getConfigurationService().getLeaderElectionConfiguration().orElseThrow();
    assertEquals("kvmguest-operator", election.getLeaseName());
    assertEquals(Optional.of("kvmguest-system"), election.getLeaseNamespace());
    assertFalse(operator.ready(), "not started, not leading");
    assertFalse(operator.jdkOperator().getConfigurationService().useSSAToPatchPrimaryResource());
    assertFalse(operator.jdkOperator().getConfigurationService().ssaBasedCreateUpdateMatchForDependentResources());
  }

  @Test
  void reconcilesAsManyGuestsAtOnceAsTheOptionsSay() {
    GuestOperator operator = OperatorFactory.build(client, TestCluster.testOptions().withReconcileThreads(3), new SimpleMeterRegistry());
    assertEquals(3, operator.jdkOperator().getConfigurationService().concurrentReconciliationThreads());
  }

  @Test
  void withANamespaceOnlyThatNamespacesGuestsAreReconciledAndReadinessFollowsTheStart() {
    try (TestCluster cluster = new TestCluster(client)) {
      GuestOperator operator = cluster.startOperator(TestCluster.testOptions().withNamespace(Optional.of(TestCluster.NS)));
      assertTrue(operator.ready());
      client.resource(guest("elsewhere", "ignored", "256Mi", 1)).create();
      cluster.create(guest(TestCluster.NS, "watched", "256Mi", 1));
      cluster.await("watched", "validated", g -> TestCluster.condition(g, "Valid").isPresent());
      Poll.holds(Duration.ofMillis(500), "the other namespace's guest untouched",
          () -> client.resources(VirtualGuest.class).inNamespace("elsewhere").withName("ignored").get().getStatus(), status -> status == null);
      assertNull(client.resources(VirtualGuest.class).inNamespace("elsewhere").withName("ignored").get().getStatus());
    }
  }
}
