package io.kvmguest.packaging;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a kubelet would run for one container of a rendered pod spec, as a {@code podman run}
 * command line: image, command, args, env (downward API values supplied by the test),
 * securityContext, host namespaces and volumes. Anything the translation does not know fails the
 * test, so a chart change cannot slip past the container tests unseen.
 *
 * <p>Two things stand in for the cluster: the pod's network is a test network namespace, and the
 * service account is a kubeconfig file (the API the test starts is plain HTTP).
 */
public final class PodmanRun {
  /** In-container path of the kubeconfig that stands in for the service-account token. */
  public static final String KUBECONFIG_IN_CONTAINER = "/var/run/kvmguest-test/kubeconfig";

  private PodmanRun() {}

  /**
   * @param downward values of the downward API fields the spec refers to (e.g. spec.nodeName)
   * @param ulimits  "nofile=N:N"-style limits; the kubelet inherits the runtime's, podman's default is refused here
   */
  public static List<String> argv(String containerName, PodSpec pod, Container c, String netns, String kubeconfig,
      Map<String, String> downward, List<String> ulimits) {
    List<String> argv = new ArrayList<>(List.of("podman", "run", "--detach", "--name", containerName, "--pull", "never"));
    ulimits.forEach(u -> argv.addAll(List.of("--ulimit", u)));
    // hostNetwork or not, the pod's network here is the test's namespace (never the machine's own).
    argv.addAll(List.of("--network", "ns:/var/run/netns/" + netns));
    if (Boolean.TRUE.equals(pod.getHostPID())) {
      argv.addAll(List.of("--pid", "host"));
    }
    securityContext(c.getSecurityContext(), pod, argv);
    for (EnvVar env : c.getEnv()) {
      argv.addAll(List.of("--env", env.getName() + "=" + envValue(env, downward)));
    }
    argv.addAll(List.of("--env", "KUBECONFIG=" + KUBECONFIG_IN_CONTAINER, "--volume", kubeconfig + ":" + KUBECONFIG_IN_CONTAINER + ":ro"));
    for (VolumeMount mount : c.getVolumeMounts()) {
      argv.addAll(volume(pod, mount));
    }
    if (c.getCommand() != null && !c.getCommand().isEmpty()) {
      argv.addAll(List.of("--entrypoint", jsonArray(c.getCommand())));
    }
    argv.add(c.getImage());
    argv.addAll(c.getArgs());
    return argv;
  }

  private static void securityContext(SecurityContext sc, PodSpec pod, List<String> argv) {
    Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser()
        : pod.getSecurityContext() != null ? pod.getSecurityContext().getRunAsUser() : null;
    Long group = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup()
        : pod.getSecurityContext() != null ? pod.getSecurityContext().getRunAsGroup() : null;
    if (user != null) {
      argv.addAll(List.of("--user", user + (group != null ? ":" + group : "")));
    }
    if (sc == null) {
      return;
    }
    if (Boolean.TRUE.equals(sc.getPrivileged())) {
      argv.add("--privileged");
    }
    if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
      argv.add("--read-only");
    }
    if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
      argv.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    if (sc.getCapabilities() != null) {
      sc.getCapabilities().getDrop().forEach(cap -> argv.addAll(List.of("--cap-drop", cap)));
      sc.getCapabilities().getAdd().forEach(cap -> argv.addAll(List.of("--cap-add", cap)));
    }
    // seccompProfile RuntimeDefault is podman's default profile: nothing to add.
    if (sc.getSeccompProfile() != null && !"RuntimeDefault".equals(sc.getSeccompProfile().getType())) {
      throw new AssertionError("no podman translation for seccompProfile " + sc.getSeccompProfile().getType());
    }
  }

  private static String envValue(EnvVar env, Map<String, String> downward) {
    if (env.getValueFrom() == null) {
      return env.getValue() == null ? "" : env.getValue();
    }
    if (env.getValueFrom().getFieldRef() == null) {
      throw new AssertionError("env " + env.getName() + ": only fieldRef is translated");
    }
    String field = env.getValueFrom().getFieldRef().getFieldPath();
    String value = downward.get(field);
    if (value == null) {
      throw new AssertionError("env " + env.getName() + " refers to " + field + ", which the test does not supply");
    }
    return value;
  }

  private static List<String> volume(PodSpec pod, VolumeMount mount) {
    Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("volumeMount " + mount.getName() + " has no volume"));
    boolean ro = Boolean.TRUE.equals(mount.getReadOnly());
    if (volume.getHostPath() != null) {
      return List.of("--volume", volume.getHostPath().getPath() + ":" + mount.getMountPath() + (ro ? ":ro" : ""));
    }
    if (volume.getEmptyDir() != null) {
      return List.of("--tmpfs", mount.getMountPath());
    }
    throw new AssertionError("volume " + volume.getName() + ": only hostPath and emptyDir are translated");
  }

  private static String jsonArray(List<String> items) {
    StringBuilder out = new StringBuilder("[");
    for (String item : items) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append('"').append(item.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return out.append(']').toString();
  }
}
