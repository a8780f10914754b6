package io.kvmguest.operator.reconcile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.api.kube.GuardedPatches;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's metadata writes: dispatch (node label and finalizer in one patch) and finalizer
 * removal. Finalizers are a list the agent edits too, so each is a JSON Patch that first sets the
 * resourceVersion read (a precondition: 409 when stale) and is redone against a fresh read
 * ({@link ConflictRetry}).
 */
public final class GuestMetadata {
  private final KubernetesClient client;
  private final ConflictRetry retry;

  public GuestMetadata(KubernetesClient client, ConflictRetry retry) {
    this.client = client;
    this.retry = retry;
  }

  public static boolean dispatchedTo(VirtualGuest guest, String node) {
    Map<String, String> labels = guest.getMetadata().getLabels();
    return labels != null && node.equals(labels.get(ClusterContract.NODE_LABEL)) && guest.hasFinalizer(ClusterContract.NODE_CLEANUP_FINALIZER);
  }

  /** Labels the guest for {@code node} and adds the cleanup finalizer. Empty when the guest is gone. */
  public Optional<VirtualGuest> dispatch(VirtualGuest read, String node) {
    return patch(read, guest -> {
      if (dispatchedTo(guest, node)) {
        return Optional.empty();
      }
      List<String> finalizers = new ArrayList<>(guest.getFinalizers());
      if (!finalizers.contains(ClusterContract.NODE_CLEANUP_FINALIZER)) {
        finalizers.add(ClusterContract.NODE_CLEANUP_FINALIZER);
      }
      ArrayNode ops = JsonNodeFactory.instance.arrayNode();
      // The whole map: fabric8 reads absent labels as an empty map, and adding one key under a
      // missing /metadata/labels fails on the server. The resourceVersion guard makes this safe.
      var labels = ops.addObject().put("op", "add").put("path", "/metadata/labels").putObject("value");
      if (guest.getMetadata().getLabels() != null) {
        guest.getMetadata().getLabels().forEach(labels::put);
      }
      labels.put(ClusterContract.NODE_LABEL, node);
      ops.addObject().put("op", "add").put("path", "/metadata/finalizers").set("value", array(finalizers));
      return Optional.of(ops);
    });
  }

  /** Removes the cleanup finalizer (the API server then deletes a guest marked for deletion). */
  public Optional<VirtualGuest> removeFinalizer(VirtualGuest read) {
    return patch(read, guest -> {
      if (!guest.hasFinalizer(ClusterContract.NODE_CLEANUP_FINALIZER)) {
        return Optional.empty();
      }
      List<String> finalizers = new ArrayList<>(guest.getFinalizers());
      finalizers.remove(ClusterContract.NODE_CLEANUP_FINALIZER);
      ArrayNode ops = JsonNodeFactory.instance.arrayNode();
      ops.addObject().put("op", "add").put("path", "/metadata/finalizers").set("value", array(finalizers));
      return Optional.of(ops);
    });
  }

  private interface MetadataChange {
    /** The JSON Patch operations {@code guest} needs, or empty when it needs none. */
    Optional<ArrayNode> of(VirtualGuest guest);
  }

  private Optional<VirtualGuest> patch(VirtualGuest read, MetadataChange change) {
    return retry.run("metadata of VirtualGuest " + read.getMetadata().getNamespace() + "/" + read.getMetadata().getName(),
        read, () -> guests(read).get(), current -> {
          if (current == null) {
            return Optional.empty();
          }
          Optional<ArrayNode> ops = change.of(current);
          if (ops.isEmpty()) {
            return Optional.of(current);
          }
          ArrayNode body = GuardedPatches.guarded(current.getMetadata().getResourceVersion());
          body.addAll(ops.get());
          try {
            // resource(current), not withName(..): fabric8 then patches without reading the object first.
            return Optional.ofNullable(client.resource(current).patch(PatchContext.of(PatchType.JSON), body.toString()));
          } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
              return Optional.empty();
            }
            throw e;
          }
        });
  }

  private io.fabric8.kubernetes.client.dsl.Resource<VirtualGuest> guests(VirtualGuest guest) {
    return client.resources(VirtualGuest.class).inNamespace(guest.getMetadata().getNamespace()).withName(guest.getMetadata().getName());
  }

  private static ArrayNode array(List<String> values) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    values.forEach(array::add);
    return array;
  }
}
