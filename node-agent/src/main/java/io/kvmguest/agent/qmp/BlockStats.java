package io.kvmguest.agent.qmp;

/**
 * One entry of {@code query-blockstats}. {@code device} is the drive id ({@code -drive id=...}) or,
 * for {@code -blockdev} disks that have none, the qdev path; {@code nodeName} is the block node
 * (qemu generates {@code #blockNNN} when not named).
 */
public record BlockStats(
    String device, String nodeName, long rdBytes, long wrBytes, long rdOperations, long wrOperations) {}
