package io.kvmguest.api.v1alpha1;

import java.util.List;
import java.util.Objects;

/** Null-tolerant list handling for model records: absent lists read as empty, null items are dropped. */
final class Lists {
  private Lists() {}

  static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
  }
}
