package io.kvmguest.agent.qmp;

/**
 * qemu's {@code query-status}: {@code status} is the run state ({@code running}, {@code paused},
 * {@code shutdown}, {@code internal-error}, {@code guest-panicked}, {@code inmigrate}, ...);
 * {@code running} is true only while guest CPUs execute.
 */
public record GuestStatus(String status, boolean running) {}
