package io.kvmguest.agent.runtime;

/**
 * The node addresses guests are reachable on, as the admin configured them.
 *
 * @param vncListen where VNC consoles listen (--vnc-listen)
 * @param portForward where user-networking forwarded ports listen (--port-forward-address)
 */
public record ListenAddresses(String vncListen, String portForward) {}
