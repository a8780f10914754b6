package io.kvmguest.agent.host;

/** The parts of /proc/cpuinfo the agent needs. */
public record CpuInfo(String vendor, VirtualizationFlag flag, int cpus) {}
