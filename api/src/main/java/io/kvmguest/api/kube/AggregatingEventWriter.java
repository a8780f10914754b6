package io.kvmguest.api.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes occurrences as core v1 Events the way client-go's recorder does: the first one creates an
 * Event, a repeat counts on it (a merge patch of count and lastTimestamp). Blocks on the API server,
 * so it runs on {@link KubernetesGuestEvents}' writer thread, never the caller's; failures only log.
 */
final class AggregatingEventWriter {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesGuestEvents.class);
  private static final HexFormat HEX = HexFormat.of();

  private final KubernetesClient client;
  private final String component;
  private final Optional<String> host;
  private final RecentEvents recent;
  private final SplittableRandom random = new SplittableRandom();

  AggregatingEventWriter(KubernetesClient client, String component, Optional<String> host, RecentEvents recent) {
    this.client = client;
    this.component = component;
    this.host = host;
    this.recent = recent;
  }

  synchronized void write(EventOccurrence occurrence) {
    RecentEvents.Key key = occurrence.key(component);
    recent.repeatOf(key, occurrence.at()).ifPresentOrElse(
        written -> countAgain(key, written.again(occurrence.at()), occurrence),
        () -> create(key, new RecentEvents.Written(newName(occurrence), 1, occurrence.at(), occurrence.at()), occurrence));
  }

  private void countAgain(RecentEvents.Key key, RecentEvents.Written again, EventOccurrence occurrence) {
    try {
      // Through a stub with the name only: withName(..).patch would GET the Event first, a second request per repeat.
      client.v1().events().inNamespace(occurrence.namespace()).resource(stub(again.name(), occurrence))
          .patch(PatchContext.of(PatchType.JSON_MERGE), countPatch(again));
      recent.remember(key, again);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        // The API server dropped it (Events live an hour by default): a new one carries the count on, as client-go's does.
        create(key, new RecentEvents.Written(newName(occurrence), again.count(), again.first(), again.last()), occurrence);
        return;
      }
      // Still counted: the next patch that gets through carries this occurrence too.
      recent.remember(key, again);
      LOG.warn("could not count {} again: {}", occurrence.describe(), e.getMessage());
    }
  }

  private void create(RecentEvents.Key key, RecentEvents.Written written, EventOccurrence occurrence) {
    try {
      client.v1().events().inNamespace(occurrence.namespace()).resource(event(written, occurrence)).create();
      recent.remember(key, written);
    } catch (KubernetesClientException e) {
      recent.forget(key);
      LOG.warn("could not record {}: {}", occurrence.describe(), e.getMessage());
    }
  }

  private Event event(RecentEvents.Written written, EventOccurrence occurrence) {
    return new EventBuilder()
        .withNewMetadata().withName(written.name()).withNamespace(occurrence.namespace()).endMetadata()
        .withInvolvedObject(occurrence.involved())
        .withType(occurrence.type()).withReason(occurrence.reason()).withMessage(occurrence.message())
        .withFirstTimestamp(timestamp(written.first())).withLastTimestamp(timestamp(written.last())).withCount(written.count())
        .withNewSource().withComponent(component).withHost(host.orElse(null)).endSource()
        .withReportingComponent(component).withReportingInstance(host.orElse(null))
        .build();
  }

  private static Event stub(String name, EventOccurrence occurrence) {
    return new EventBuilder().withNewMetadata().withName(name).withNamespace(occurrence.namespace()).endMetadata().build();
  }

  /** {@code <object name>.<16 hex>}, the shape kubectl and client-go give Event names. */
  private String newName(EventOccurrence occurrence) {
    return occurrence.involved().getName() + "." + HEX.toHexDigits(random.nextLong());
  }

  private static String countPatch(RecentEvents.Written written) {
    return Serialization.jsonMapper().createObjectNode()
        .put("count", written.count())
        .put("lastTimestamp", timestamp(written.last()))
        .toString();
  }

  /** Core v1 Event times are whole seconds (metav1.Time); the API server would drop the fraction anyway. */
  private static String timestamp(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
