package io.kvmguest.standalone.apiserver;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The VirtualGuest CRD generated into the kvmguest-api jar (the same file as crds/ in the repository). */
final class CrdResource {
  static final String PATH = "META-INF/fabric8/virtualguests.kvmguest.io-v1.yml";

  private CrdResource() {
  }

  static CustomResourceDefinition virtualGuests() {
    try (InputStream in = CrdResource.class.getClassLoader().getResourceAsStream(PATH)) {
      if (in == null) {
        throw new IllegalStateException(PATH + " is not on the classpath: the kvmguest-api jar is missing");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PATH, e);
    }
  }
}
