package io.kvmguest.operator.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import io.kvmguest.operator.GuestOperator;
import io.kvmguest.operator.OperatorFactory;
import io.kvmguest.operator.OperatorOptions;
import io.kvmguest.api.status.Conditions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.Random;
import java.util.random.RandomGenerator;

/** A mock API server with the CRD installed and the real operator running against it. */
public final class TestCluster implements AutoCloseable {
  public static final String NS = "guests";
  public static final Duration WAIT = Duration.ofSeconds(20);
  public static final long GI = 1024L * 1024 * 1024;
  public static final long MI = 1024L * 1024;

  private final KubernetesClient client;
  private final List<GuestOperator> operators = new ArrayList<>();

  public TestCluster(KubernetesClient client) {
    this.client = client;
    installCrd(client);
  }

  public static void installCrd(KubernetesClient client) {
    try (InputStream in = TestCluster.class.getClassLoader().getResourceAsStream("META-INF/fabric8/virtualguests.kvmguest.io-v1.yml")) {
      if (in == null) {
        throw new IllegalStateException("the api module's generated CRD is not on the test class path");
      }
      client.load(in).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Short stale and retry times so tests see transitions within a second or two. */
  public static OperatorOptions testOptions() {
    return OperatorOptions.defaults().withHealthPort(-1).withNodeStaleAfter(Duration.ofSeconds(30)).withRescheduleInterval(Duration.ofMillis(500));
  }

  public GuestOperator startOperator(OperatorOptions options) {
    return startOperator(options, new Random());
  }

  public GuestOperator startOperator(OperatorOptions options, RandomGenerator macRandom) {
    return startOperator(options, macRandom, new SimpleMeterRegistry());
  }

  /** An operator whose meters go to {@code registry}. */
  public GuestOperator startOperator(OperatorOptions options, RandomGenerator macRandom, MeterRegistry registry) {
    GuestOperator operator = OperatorFactory.build(client, options, registry, macRandom, Clock.systemUTC());
    operator.start();
    operators.add(operator);
    return operator;
  }

  public VirtualGuest create(VirtualGuest guest) {
    return client.resource(guest).create();
  }

  public VirtualGuest get(String name) {
    return client.resources(VirtualGuest.class).inNamespace(NS).withName(name).get();
  }

  public static Optional<GuestCondition> condition(VirtualGuest guest, String type) {
    return guest == null || guest.getStatus() == null ? Optional.empty() : Conditions.find(guest.getStatus().conditions(), type);
  }

  public static boolean conditionIs(VirtualGuest guest, String type, String status) {
    return condition(guest, type).map(c -> status.equals(c.status())).orElse(false);
  }

  public static String phase(VirtualGuest guest) {
    return guest == null || guest.getStatus() == null ? null : guest.getStatus().phase();
  }

  /** Waits until the guest satisfies {@code done}. */
  public VirtualGuest await(String name, String what, java.util.function.Predicate<VirtualGuest> done) {
    return Poll.until(WAIT, name + " " + what, () -> get(name), g -> g != null && done.test(g));
  }

  /** Changes the spec as a user would (kubectl edit): read, change, update; again on 409. */
  public VirtualGuest editSpec(String name, UnaryOperator<VirtualGuestSpec> change) {
    for (int attempt = 1; ; attempt++) {
      VirtualGuest guest = get(name);
      guest.setSpec(change.apply(guest.getSpec()));
      try {
        return client.resource(guest).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  public List<Event> events(String guestName) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> guestName.equals(e.getInvolvedObject().getName())).toList();
  }

  @Override
  public void close() {
    operators.forEach(GuestOperator::stop);
  }
}
