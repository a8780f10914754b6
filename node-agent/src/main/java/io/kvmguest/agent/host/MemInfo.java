package io.kvmguest.agent.host;

/** Host memory from /proc/meminfo, in bytes. */
public record MemInfo(long totalBytes, long availableBytes) {}
