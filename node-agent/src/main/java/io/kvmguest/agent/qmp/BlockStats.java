package io.kvmguest.agent.qmp;

/**
 * One entry of {@code query-blockstats}. {@code device} is the drive id ({@code -drive id=...}) or,
 * for {@code -blockdev} disks that have none, the qdev path; {@code nodeName} is the block node
 * (qemu generates {@code #blockNNN} when not named). Times are qemu's cumulative nanoseconds.
 */
public record BlockStats(
    String device, String nodeName, long rdBytes, long wrBytes, long rdOperations, long wrOperations,
    long rdTotalTimeNs, long wrTotalTimeNs, long flushOperations) {

  /** Without the times and flushes (older callers and tests). */
  public BlockStats(String device, String nodeName, long rdBytes, long wrBytes, long rdOperations, long wrOperations) {
    this(device, nodeName, rdBytes, wrBytes, rdOperations, wrOperations, 0, 0, 0);
  }
}
