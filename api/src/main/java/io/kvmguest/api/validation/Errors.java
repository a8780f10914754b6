package io.kvmguest.api.validation;

import java.util.ArrayList;
import java.util.List;

/** Collects field errors while the rules run. */
final class Errors {
  private final List<FieldError> list = new ArrayList<>();

  void add(String path, String message) {
    list.add(new FieldError(path, message));
  }

  List<FieldError> toList() {
    return List.copyOf(list);
  }
}
