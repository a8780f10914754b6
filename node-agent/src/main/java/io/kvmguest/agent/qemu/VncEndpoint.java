package io.kvmguest.agent.qemu;

/** The VNC display the agent allocated for a guest, and the address it listens on. */
public record VncEndpoint(String listenAddress, int display) {}
