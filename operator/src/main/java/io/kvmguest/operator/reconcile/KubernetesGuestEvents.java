package io.kvmguest.operator.reconcile;

import io.kvmguest.api.kube.GuestEvents;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records core v1 Events on the guest, as `kubectl describe vg` shows them. Failures only log. */
public final class KubernetesGuestEvents implements GuestEvents {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesGuestEvents.class);
  static final String COMPONENT = "kvmguest-operator";

  private final KubernetesClient client;
  private final Clock clock;
  private final RandomGenerator random;

  public KubernetesGuestEvents(KubernetesClient client, Clock clock, RandomGenerator random) {
    this.client = client;
    this.clock = clock;
    this.random = random;
  }

  @Override
  public void record(VirtualGuest guest, String type, String reason, String message) {
    var meta = guest.getMetadata();
    String now = clock.instant().toString();
    Event event = new EventBuilder()
        .withNewMetadata().withName(meta.getName() + "." + HexFormat.of().toHexDigits(random.nextLong())).withNamespace(meta.getNamespace()).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(guest.getApiVersion()).withKind(guest.getKind())
            .withNamespace(meta.getNamespace()).withName(meta.getName()).withUid(meta.getUid()).build())
        .withType(type).withReason(reason).withMessage(message)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("could not record {} event {} for VirtualGuest {}/{}: {}", type, reason, meta.getNamespace(), meta.getName(), e.getMessage());
    }
    if (WARNING.equals(type)) {
      LOG.warn("{}/{}: {} {}", meta.getNamespace(), meta.getName(), reason, message);
    } else {
      LOG.info("{}/{}: {} {}", meta.getNamespace(), meta.getName(), reason, message);
    }
  }
}
