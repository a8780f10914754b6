package io.kvmguest.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The documents of a {@code helm template} output, each read into fabric8's typed model of its kind.
 * fabric8's models keep fields they do not know in {@code additionalProperties} instead of failing;
 * {@link #parse} walks every object it read and fails on any such field, so a misspelt or misplaced
 * field in a template fails the test.
 */
final class Rendered {
  /** Kinds without a fabric8 model (Prometheus Operator's CRDs): read as generic maps, checked by the tests. */
  static final Set<String> UNTYPED_KINDS = Set.of("monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PodMonitor",
      "monitoring.coreos.com/v1/PrometheusRule");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  final List<HasMetadata> objects;

  private Rendered(List<HasMetadata> objects) {
    this.objects = objects;
  }

  static Rendered parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
        continue;
      }
      KubernetesResource read = SERIALIZATION.unmarshal(doc);
      if (!(read instanceof HasMetadata object)) {
        fail("not a Kubernetes object: " + read + "\n" + doc);
        return null;
      }
      String type = object.getApiVersion() + "/" + object.getKind();
      if (object instanceof GenericKubernetesResource) {
        if (!UNTYPED_KINDS.contains(type)) {
          fail(type + " has no fabric8 model (a misspelt apiVersion or kind?):\n" + doc);
        }
      } else {
        List<String> unknown = new ArrayList<>();
        unknownFields(object, type + " " + object.getMetadata().getName(), unknown, Collections.newSetFromMap(new IdentityHashMap<>()));
        if (!unknown.isEmpty()) {
          fail("fields the Kubernetes API does not have: " + String.join(", ", unknown) + "\n" + doc);
        }
      }
      objects.add(object);
    }
    return new Rendered(List.copyOf(objects));
  }

  /** Every non-empty additionalProperties map in the object graph of a fabric8 model, by path. */
  private static void unknownFields(Object value, String path, List<String> unknown, Set<Object> seen) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "[" + k + "]", unknown, seen));
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        unknownFields(item, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.") || !seen.add(value)) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class
          || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
        continue;
      }
      String name = getter.getName().startsWith("get") ? getter.getName().substring(3) : getter.getName().substring(2);
      unknownFields(child, path + "." + decapitalize(name), unknown, seen);
    }
  }

  private static String decapitalize(String name) {
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    List<T> found = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
    assertEquals(1, found.size(), () -> "one " + type.getSimpleName() + " " + name + " in " + names());
    return found.get(0);
  }

  boolean has(Class<? extends HasMetadata> type, String name) {
    return all(type).stream().anyMatch(o -> o.getMetadata().getName().equals(name));
  }

  List<GenericKubernetesResource> untyped(String kind) {
    return all(GenericKubernetesResource.class).stream().filter(o -> o.getKind().equals(kind)).toList();
  }

  DaemonSet agent() {
    return one(DaemonSet.class, Helm.RELEASE + "-agent");
  }

  Deployment operator() {
    return one(Deployment.class, Helm.RELEASE + "-operator");
  }

  static Container container(io.fabric8.kubernetes.api.model.PodTemplateSpec template, String name) {
    Container c = template.getSpec().getContainers().stream().filter(x -> x.getName().equals(name)).findFirst().orElse(null);
    assertNotNull(c, "container " + name);
    return c;
  }

  List<String> names() {
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }
}
