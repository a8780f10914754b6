package io.kvmguest.api.validation;

/** One problem with a guest: the path of the offending field and what is wrong and allowed. */
public record FieldError(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
