package io.kvmguest.agent.cgroup;

/** A qemu could not be put into (all of) its own cgroups; the message names where and why. */
public final class CgroupPlacementException extends RuntimeException {
  public CgroupPlacementException(String message) {
    super(message);
  }
}
