package io.kvmguest.packaging;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** helm lint and helm template of helm/kvmguest, with defaults and with every ci/*-values.yaml. */
class HelmChartTest {
  private static final String AGENT = Helm.RELEASE + "-agent";
  private static final String OPERATOR = Helm.RELEASE + "-operator";
  private static final String AGENT_SA_USER = "system:serviceaccount:" + Helm.NAMESPACE + ":" + AGENT;

  /** null: the default values; else a ci values file. */
  static Stream<Path> valueSets() {
    List<Path> sets = new ArrayList<>();
    sets.add(null);
    sets.addAll(Helm.ciValues());
    return sets.stream();
  }

  static Rendered render(String ciFile) {
    return Helm.render(Helm.chart().resolve("ci").resolve(ciFile));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void lintsStrictly(Path values) {
    List<String> args = new ArrayList<>(List.of("lint", "--strict", Helm.chart().toString(), "--namespace", Helm.NAMESPACE));
    if (values != null) {
      args.addAll(List.of("-f", values.toString()));
    }
    Helm.Result result = Helm.run(args);
    assertEquals(0, result.exitCode(), () -> "helm lint --strict with " + Helm.label(values) + ":\n" + result.stdout() + result.stderr());
  }

  /** Rendering parses every document strictly (see {@link Rendered}); then what holds for every value set. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void rendersValidObjectsWithTheInvariants(Path values) {
    Rendered r = Helm.render(values);
    String set = Helm.label(values);
    assertAll(set,
        () -> assertTrue(r.has(DaemonSet.class, AGENT), "agent DaemonSet"),
        () -> assertTrue(r.has(Deployment.class, OPERATOR), "operator Deployment"),
        () -> assertTrue(r.has(ServiceAccount.class, AGENT), "agent ServiceAccount"),
        () -> assertTrue(r.has(ServiceAccount.class, OPERATOR), "operator ServiceAccount"),
        () -> assertStandardLabels(r),
        () -> assertNoWildcards(r),
        () -> assertAgentInvariants(r.agent()),
        () -> assertOperatorInvariants(r.operator()),
        () -> assertRolesBound(r));
  }

  private static void assertStandardLabels(Rendered r) {
    for (HasMetadata o : r.objects) {
      Map<String, String> labels = o.getMetadata().getLabels();
      String what = o.getKind() + "/" + o.getMetadata().getName();
      assertNotNull(labels, what + " labels");
      for (String key : List.of("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
          "app.kubernetes.io/component", "app.kubernetes.io/managed-by", "app.kubernetes.io/part-of", "helm.sh/chart")) {
        assertTrue(labels.containsKey(key), what + " has label " + key + ": " + labels);
      }
      assertEquals("kvmguest", labels.get("app.kubernetes.io/name"), what);
      assertEquals(Helm.RELEASE, labels.get("app.kubernetes.io/instance"), what);
      assertEquals("kvmguest-0.1.0", labels.get("helm.sh/chart"), what);
    }
  }

  private static void assertNoWildcards(Rendered r) {
    List<PolicyRule> rules = new ArrayList<>();
    r.all(ClusterRole.class).forEach(c -> rules.addAll(c.getRules()));
    r.all(Role.class).forEach(c -> rules.addAll(c.getRules()));
    assertFalse(rules.isEmpty(), "RBAC rules rendered");
    for (PolicyRule rule : rules) {
      for (List<String> field : List.of(rule.getVerbs(), rule.getResources(), rule.getApiGroups())) {
        assertNotNull(field, "rule " + rule);
        assertFalse(field.isEmpty(), "rule " + rule);
        assertFalse(field.stream().anyMatch(s -> s.contains("*")), "no * in RBAC: " + rule);
      }
      assertTrue(rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty(), "no nonResourceURLs: " + rule);
    }
  }

  private static void assertAgentInvariants(DaemonSet ds) {
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    Container agent = Rendered.container(ds.getSpec().getTemplate(), "agent");
    List<String> args = agent.getArgs();
    String stateDir = value(args, "--state-dir");
    assertEquals(true, pod.getHostPID(), "hostPID");
    assertEquals(true, pod.getHostNetwork(), "hostNetwork");
    assertEquals("ClusterFirstWithHostNet", pod.getDnsPolicy());
    assertEquals("system-node-critical", pod.getPriorityClassName());
    assertEquals(AGENT, pod.getServiceAccountName());
    assertEquals(true, agent.getSecurityContext().getPrivileged(), "privileged");
    assertEquals(List.of("java", "-jar", "/opt/kvmguest/kvmguest-node-agent.jar"), agent.getCommand());
    assertTrue(args.contains("--keep-guests"), "--keep-guests always: " + args);
    assertEquals("spec.nodeName", agent.getEnv().stream().filter(e -> e.getName().equals("NODE_NAME")).findFirst()
        .map(e -> e.getValueFrom().getFieldRef().getFieldPath()).orElse(null), "NODE_NAME from the downward API");
    assertNotNull(env(agent, "JAVA_TOOL_OPTIONS"));
    assertHostMount(pod, agent, stateDir, "DirectoryOrCreate", false);
    assertHostMount(pod, agent, "/sys/fs/cgroup", "Directory", false);
    assertHostMount(pod, agent, "/dev", "Directory", false);
    assertHostMount(pod, agent, "/lib/modules", null, true);
    for (String dir : values(args, "--allowed-dir")) {
      assertHostMount(pod, agent, dir, "DirectoryOrCreate", true);
    }
    String metricsPort = value(args, "--metrics-port");
    assertEquals(Integer.parseInt(metricsPort), agent.getPorts().stream().filter(p -> "metrics".equals(p.getName())).findFirst()
        .orElseThrow().getContainerPort());
    assertEquals("/healthz", agent.getLivenessProbe().getHttpGet().getPath());
    assertEquals("metrics", agent.getLivenessProbe().getHttpGet().getPort().getStrVal());
    // --uplink only in managed mode, --subnet only in nat mode.
    String mode = value(args, "--network");
    assertTrue(Set.of("existing", "managed", "nat").contains(mode), mode);
    assertEquals(mode.equals("managed"), args.contains("--uplink"), "--uplink with --network " + mode);
    assertEquals(mode.equals("nat"), args.contains("--subnet"), "--subnet with --network " + mode);
    assertTrue(Set.of("auto", "systemd", "cgroupfs", "none").contains(value(args, "--guest-cgroups")));
  }

  private static void assertHostMount(PodSpec pod, Container c, String path, String type, boolean readOnly) {
    VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst().orElse(null);
    assertNotNull(mount, "a mount at " + path + " in " + c.getVolumeMounts());
    Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    assertNotNull(volume.getHostPath(), path + " is a hostPath");
    assertEquals(path, volume.getHostPath().getPath(), "same path inside as on the host");
    assertEquals(type, volume.getHostPath().getType(), "hostPath type of " + path);
    assertEquals(readOnly, Boolean.TRUE.equals(mount.getReadOnly()), "readOnly of " + path);
  }

  private static void assertOperatorInvariants(Deployment d) {
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container op = Rendered.container(d.getSpec().getTemplate(), "operator");
    var sc = op.getSecurityContext();
    assertEquals(OPERATOR, pod.getServiceAccountName());
    assertEquals(true, sc.getRunAsNonRoot(), "runAsNonRoot");
    assertEquals(65532L, sc.getRunAsUser(), "runAsUser");
    assertEquals(true, sc.getReadOnlyRootFilesystem(), "readOnlyRootFilesystem");
    assertEquals(false, sc.getAllowPrivilegeEscalation(), "allowPrivilegeEscalation");
    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), "capabilities drop ALL");
    assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), "no capabilities added");
    assertEquals("RuntimeDefault", sc.getSeccompProfile().getType());
    assertNull(sc.getPrivileged(), "not privileged");
    assertEquals(List.of("java", "-jar", "/opt/kvmguest/kvmguest-operator.jar"), op.getCommand());
    assertNotNull(env(op, "JAVA_TOOL_OPTIONS"));
    int port = Integer.parseInt(value(op.getArgs(), "--health-port"));
    var http = op.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
    assertEquals(port, http.getContainerPort());
    assertEquals("/healthz", op.getLivenessProbe().getHttpGet().getPath());
    assertEquals("http", op.getLivenessProbe().getHttpGet().getPort().getStrVal());
    assertEquals("/readyz", op.getReadinessProbe().getHttpGet().getPath());
    assertEquals("http", op.getReadinessProbe().getHttpGet().getPort().getStrVal());
    VolumeMount tmp = op.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
    assertNotNull(pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow().getEmptyDir(),
        "/tmp is an emptyDir");
    boolean leader = d.getSpec().getReplicas() > 1;
    assertEquals(leader, op.getArgs().contains("--leader-election"), "--leader-election iff replicas > 1");
  }

  /** Every binding names a rendered role and one of the chart's ServiceAccounts in the release namespace. */
  private static void assertRolesBound(Rendered r) {
    List<RoleRef> refs = new ArrayList<>();
    List<Subject> subjects = new ArrayList<>();
    r.all(ClusterRoleBinding.class).forEach(b -> { refs.add(b.getRoleRef()); subjects.addAll(b.getSubjects()); });
    r.all(RoleBinding.class).forEach(b -> { refs.add(b.getRoleRef()); subjects.addAll(b.getSubjects()); });
    for (RoleRef ref : refs) {
      Class<? extends HasMetadata> kind = ref.getKind().equals("ClusterRole") ? ClusterRole.class : Role.class;
      assertTrue(r.has(kind, ref.getName()), "bound role is rendered: " + ref);
    }
    for (Subject s : subjects) {
      assertEquals("ServiceAccount", s.getKind());
      assertEquals(Helm.NAMESPACE, s.getNamespace());
      assertTrue(Set.of(AGENT, OPERATOR).contains(s.getName()), s.toString());
    }
  }

  /** The strict reading itself: a misspelt field, a field in the wrong place and an unknown kind all fail. */
  @Test
  void strictParsingCatchesMisspeltFields() {
    String misspelt = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      hostPid: true\n";
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> Rendered.parse(misspelt));
    assertTrue(e.getMessage().contains("hostPid"), e.getMessage());
    String misplaced = "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  ports:\n    - port: 80\n      targetPort: 80\n"
        + "      path: /metrics\n";
    assertThrows(AssertionFailedError.class, () -> Rendered.parse(misplaced));
    String kind = "apiVersion: apps/v1\nkind: DeamonSet\nmetadata: {name: x}\n";
    assertThrows(AssertionFailedError.class, () -> Rendered.parse(kind));
    String fine = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      hostPID: true\n";
    assertEquals(1, Rendered.parse(fine).objects.size());
  }

  // --- defaults --------------------------------------------------------------------------------

  @Test
  void agentRbacIsExactlyWhatTheAgentCalls() {
    Map<String, Set<String>> granted = grants(Helm.render(null), AGENT);
    assertEquals(Map.of(
        "kvmguest.io/virtualguests", Set.of("get", "list", "watch", "patch"),
        "kvmguest.io/virtualguests/status", Set.of("patch"),
        "/secrets", Set.of("get"),
        "/events", Set.of("create", "patch"),
        "/nodes", Set.of("patch"),
        "coordination.k8s.io/leases", Set.of("get", "create", "update")), granted);
    assertEquals("kube-node-lease", Helm.render(null).one(Role.class, AGENT + "-heartbeat").getMetadata().getNamespace(),
        "the agent's Lease rights are in kube-node-lease only");
  }

  @Test
  void operatorRbacIsExactlyWhatTheOperatorCalls() {
    Map<String, Set<String>> granted = grants(Helm.render(null), OPERATOR);
    assertEquals(Map.of(
        "kvmguest.io/virtualguests", Set.of("get", "list", "watch", "patch"),
        "kvmguest.io/virtualguests/status", Set.of("patch"),
        "/secrets", Set.of("get"),
        "/events", Set.of("create", "patch"),
        "/nodes", Set.of("get", "list", "watch"),
        "coordination.k8s.io/leases", Set.of("get", "list", "watch")), granted);
    assertEquals("kube-node-lease", Helm.render(null).one(Role.class, OPERATOR + "-heartbeats").getMetadata().getNamespace());
  }

  /** "group/resource" → verbs, over every role bound to the ServiceAccount. */
  private static Map<String, Set<String>> grants(Rendered r, String serviceAccount) {
    Map<String, Set<String>> granted = new java.util.TreeMap<>();
    List<RoleRef> refs = new ArrayList<>();
    r.all(ClusterRoleBinding.class).stream().filter(b -> b.getSubjects().stream().anyMatch(s -> s.getName().equals(serviceAccount)))
        .forEach(b -> refs.add(b.getRoleRef()));
    r.all(RoleBinding.class).stream().filter(b -> b.getSubjects().stream().anyMatch(s -> s.getName().equals(serviceAccount)))
        .forEach(b -> refs.add(b.getRoleRef()));
    for (RoleRef ref : refs) {
      List<PolicyRule> rules = ref.getKind().equals("ClusterRole") ? r.one(ClusterRole.class, ref.getName()).getRules()
          : r.one(Role.class, ref.getName()).getRules();
      for (PolicyRule rule : rules) {
        for (String group : rule.getApiGroups()) {
          for (String resource : rule.getResources()) {
            granted.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
          }
        }
      }
    }
    return granted;
  }

  @Test
  void defaultsRenderTheDocumentedArgsAndNoOptionalObjects() {
    Rendered r = Helm.render(null);
    Container agent = Rendered.container(r.agent().getSpec().getTemplate(), "agent");
    assertEquals(List.of("--state-dir", "/var/lib/kvmguest", "--network", "nat", "--bridge", "br0", "--subnet", "10.88.0.0/24",
        "--allowed-dir", "/var/lib/kvmguest/images", "--vnc-listen", "127.0.0.1",
        "--port-forward-address", "127.0.0.1", "--stop-grace", "30", "--reserve-memory", "512Mi",
        "--heartbeat-seconds", "10", "--guest-cgroups", "auto", "--guest-cgroup-parent", "kvmguest", "--metrics-port", "9500",
        "--keep-guests"), agent.getArgs());
    assertEquals("-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:TieredStopAtLevel=1", env(agent, "JAVA_TOOL_OPTIONS"));
    assertEquals("localhost/kvmguest/node-agent:0.1.0", agent.getImage());
    assertEquals("IfNotPresent", agent.getImagePullPolicy());
    PodSpec agentPod = r.agent().getSpec().getTemplate().getSpec();
    assertEquals(30L, agentPod.getTerminationGracePeriodSeconds());
    assertEquals(Map.of("kubernetes.io/os", "linux"), agentPod.getNodeSelector());
    assertEquals(1, agentPod.getTolerations().size());
    assertEquals("Exists", agentPod.getTolerations().get(0).getOperator(), "tolerates every taint");
    assertNull(agentPod.getTolerations().get(0).getKey());
    assertEquals("RollingUpdate", r.agent().getSpec().getUpdateStrategy().getType());
    assertEquals(1, r.agent().getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());

    Deployment d = r.operator();
    Container op = Rendered.container(d.getSpec().getTemplate(), "operator");
    assertEquals(1, d.getSpec().getReplicas());
    assertEquals(List.of("--mac-prefix", "00:16:3e", "--placement", "spread", "--cpu-overcommit", "1", "--node-stale-after", "40",
        "--reschedule-interval", "30", "--reconcile-threads", "50", "--health-port", "8080"), op.getArgs());
    assertEquals("-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:TieredStopAtLevel=1", env(op, "JAVA_TOOL_OPTIONS"));
    assertEquals("localhost/kvmguest/operator:0.1.0", op.getImage());
    assertNull(env(op, "POD_NAMESPACE"), "no leader election with one replica");
    assertFalse(r.has(Role.class, OPERATOR + "-leader-election"), "no leader-election Role without leader election");
    assertNull(d.getSpec().getTemplate().getSpec().getImagePullSecrets() == null
        || d.getSpec().getTemplate().getSpec().getImagePullSecrets().isEmpty() ? null : "set", "no imagePullSecrets");

    Service opSvc = r.one(Service.class, OPERATOR + "-metrics");
    assertEquals("http", opSvc.getSpec().getPorts().get(0).getName());
    assertEquals(8080, opSvc.getSpec().getPorts().get(0).getPort());
    assertEquals("http", opSvc.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    assertEquals(selector(d.getSpec().getSelector().getMatchLabels()), selector(opSvc.getSpec().getSelector()));
    Service agentSvc = r.one(Service.class, AGENT + "-metrics");
    assertEquals("None", agentSvc.getSpec().getClusterIP(), "headless: the agents use the host network");
    assertEquals(9500, agentSvc.getSpec().getPorts().get(0).getPort());
    assertEquals("metrics", agentSvc.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    assertEquals(selector(r.agent().getSpec().getSelector().getMatchLabels()), selector(agentSvc.getSpec().getSelector()));
    assertNotEquals(selector(opSvc.getSpec().getSelector()), selector(agentSvc.getSpec().getSelector()));

    assertTrue(r.untyped("ServiceMonitor").isEmpty());
    assertTrue(r.untyped("PodMonitor").isEmpty());
    assertTrue(r.untyped("PrometheusRule").isEmpty());
    assertFalse(r.has(ConfigMap.class, "kvmguest-dashboard"));
    assertTrue(r.all(ValidatingAdmissionPolicy.class).isEmpty());
    assertTrue(r.all(ValidatingAdmissionPolicyBinding.class).isEmpty());
  }

  private static Map<String, String> selector(Map<String, String> labels) {
    return new java.util.TreeMap<>(labels);
  }

  // --- ci value sets ---------------------------------------------------------------------------

  @Test
  void haValuesTurnOnLeaderElection() {
    Rendered r = render("ha-values.yaml");
    Deployment d = r.operator();
    Container op = Rendered.container(d.getSpec().getTemplate(), "operator");
    assertEquals(2, d.getSpec().getReplicas());
    assertTrue(op.getArgs().contains("--leader-election"), op.getArgs().toString());
    EnvVar ns = op.getEnv().stream().filter(e -> e.getName().equals("POD_NAMESPACE")).findFirst().orElseThrow();
    assertEquals("metadata.namespace", ns.getValueFrom().getFieldRef().getFieldPath());
    Role lease = r.one(Role.class, OPERATOR + "-leader-election");
    assertEquals(Helm.NAMESPACE, lease.getMetadata().getNamespace(), "the lease Role is namespaced in the release namespace");
    assertEquals(1, lease.getRules().size());
    assertEquals(List.of("coordination.k8s.io"), lease.getRules().get(0).getApiGroups());
    assertEquals(List.of("leases"), lease.getRules().get(0).getResources());
    assertEquals(Set.of("get", "create", "update"), Set.copyOf(lease.getRules().get(0).getVerbs()));
    RoleBinding binding = r.one(RoleBinding.class, OPERATOR + "-leader-election");
    assertEquals(Helm.NAMESPACE, binding.getMetadata().getNamespace());
    assertEquals("Role", binding.getRoleRef().getKind());
  }

  @Test
  void ondeleteValuesSetTheAgentUpdateStrategy() {
    var strategy = render("ondelete-values.yaml").agent().getSpec().getUpdateStrategy();
    assertEquals("OnDelete", strategy.getType());
    assertNull(strategy.getRollingUpdate());
  }

  @Test
  void digestValuesPinImagesAndPullFromTheRegistry() {
    Rendered r = render("digest-values.yaml");
    Container op = Rendered.container(r.operator().getSpec().getTemplate(), "operator");
    Container agent = Rendered.container(r.agent().getSpec().getTemplate(), "agent");
    assertEquals("registry.example.com/infra/kvmguest/operator@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        op.getImage());
    assertEquals("Always", op.getImagePullPolicy());
    assertEquals("mirror.example.com/kvmguest/node-agent@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
        agent.getImage(), "a digest wins over the tag; a component registry over image.registry");
    for (PodSpec pod : List.of(r.operator().getSpec().getTemplate().getSpec(), r.agent().getSpec().getTemplate().getSpec())) {
      assertEquals(List.of("regcred"), pod.getImagePullSecrets().stream().map(s -> s.getName()).toList());
    }
  }

  @Test
  void managedNetworkValuesRenderUplinkDirsDevicesAndNamespacedGrants() {
    Rendered r = render("managed-network-values.yaml");
    List<String> args = Rendered.container(r.agent().getSpec().getTemplate(), "agent").getArgs();
    assertEquals("managed", value(args, "--network"));
    assertEquals("br-guests", value(args, "--bridge"));
    assertEquals("eno1", value(args, "--uplink"));
    assertEquals(List.of("/var/lib/kvmguest/images", "/srv/iso"), values(args, "--allowed-dir"));
    assertEquals(List.of("/dev/disk/by-id/", "/dev/sdb=guests"), values(args, "--allowed-device"));
    assertEquals(List.of("br-lab"), values(args, "--allowed-bridge"));
    assertEquals("guests", value(args, "--namespace"));
    List<String> opArgs = Rendered.container(r.operator().getSpec().getTemplate(), "operator").getArgs();
    assertEquals("guests", value(opArgs, "--namespace"));
    assertEquals("2.5", value(opArgs, "--cpu-overcommit"));
    assertEquals("pack", value(opArgs, "--placement"));
    assertEquals("20", value(opArgs, "--reconcile-threads"));
    // Watching one namespace: guests and Secrets are granted there only; Nodes stay cluster-wide.
    for (String name : List.of(AGENT, OPERATOR)) {
      RoleBinding b = r.one(RoleBinding.class, name);
      assertEquals("guests", b.getMetadata().getNamespace());
      assertEquals("ClusterRole", b.getRoleRef().getKind());
      assertFalse(r.has(ClusterRoleBinding.class, name), "no cluster-wide binding of " + name);
      assertTrue(r.has(ClusterRoleBinding.class, name + "-nodes"));
    }
  }

  @Test
  void existingNetworkValuesRenderNeitherUplinkNorSubnet() {
    List<String> args = Rendered.container(render("existing-network-values.yaml").agent().getSpec().getTemplate(), "agent").getArgs();
    assertEquals("existing", value(args, "--network"));
    assertFalse(args.contains("--uplink"));
    assertFalse(args.contains("--subnet"));
    assertFalse(args.contains("--allowed-dir"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void monitoringValuesRenderServiceMonitorAndPodMonitor() {
    Rendered r = render("monitoring-values.yaml");
    List<GenericKubernetesResource> sms = r.untyped("ServiceMonitor");
    List<GenericKubernetesResource> pms = r.untyped("PodMonitor");
    assertEquals(1, sms.size());
    assertEquals(1, pms.size());
    GenericKubernetesResource sm = sms.get(0);
    assertEquals("monitoring.coreos.com/v1", sm.getApiVersion());
    assertEquals(Helm.NAMESPACE, sm.getMetadata().getNamespace());
    assertEquals("prometheus", sm.getMetadata().getLabels().get("release"));
    Map<String, Object> smSpec = (Map<String, Object>) sm.getAdditionalProperties().get("spec");
    assertEquals(Set.of("selector", "namespaceSelector", "endpoints"), smSpec.keySet());
    Map<String, Object> smSelector = (Map<String, Object>) smSpec.get("selector");
    assertEquals(r.one(Service.class, OPERATOR + "-metrics").getSpec().getSelector(), smSelector.get("matchLabels"));
    List<Map<String, Object>> endpoints = (List<Map<String, Object>>) smSpec.get("endpoints");
    assertEquals(1, endpoints.size());
    assertEquals(Set.of("port", "path", "interval", "scrapeTimeout"), endpoints.get(0).keySet());
    assertEquals("http", endpoints.get(0).get("port"));
    assertEquals("/metrics", endpoints.get(0).get("path"));
    assertEquals("15s", endpoints.get(0).get("interval"));

    GenericKubernetesResource pm = pms.get(0);
    assertEquals("monitoring.coreos.com/v1", pm.getApiVersion());
    Map<String, Object> pmSpec = (Map<String, Object>) pm.getAdditionalProperties().get("spec");
    assertEquals(Set.of("selector", "namespaceSelector", "podMetricsEndpoints"), pmSpec.keySet());
    assertEquals(r.agent().getSpec().getSelector().getMatchLabels(), ((Map<String, Object>) pmSpec.get("selector")).get("matchLabels"));
    List<Map<String, Object>> pod = (List<Map<String, Object>>) pmSpec.get("podMetricsEndpoints");
    assertEquals(1, pod.size());
    assertTrue(Set.of("port", "path", "interval", "scrapeTimeout", "relabelings").containsAll(pod.get(0).keySet()), pod.toString());
    assertEquals("metrics", pod.get(0).get("port"));
    assertEquals("/metrics", pod.get(0).get("path"));
    // The agent's port follows agent.metrics.port everywhere.
    Container agent = Rendered.container(r.agent().getSpec().getTemplate(), "agent");
    assertEquals("9600", value(agent.getArgs(), "--metrics-port"));
    assertEquals(9600, agent.getPorts().get(0).getContainerPort());
    assertEquals(9600, r.one(Service.class, AGENT + "-metrics").getSpec().getPorts().get(0).getPort());
  }

  @Test
  @SuppressWarnings("unchecked")
  void monitoringValuesShipTheAlertRulesAndTheDashboardAsTheyAreInFiles() throws java.io.IOException {
    Rendered r = render("monitoring-values.yaml");
    KubernetesSerialization yaml = new KubernetesSerialization();
    List<GenericKubernetesResource> rules = r.untyped("PrometheusRule");
    assertEquals(1, rules.size());
    assertEquals("prometheus", rules.get(0).getMetadata().getLabels().get("release"));
    Map<String, Object> rulesFile = yaml.unmarshal(Files.readString(Helm.chart().resolve("files/kvmguest-rules.yaml")), Map.class);
    assertEquals(rulesFile, rules.get(0).getAdditionalProperties().get("spec"), "the PrometheusRule is files/kvmguest-rules.yaml");

    ConfigMap dashboard = r.one(ConfigMap.class, "kvmguest-dashboard");
    assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
    Map<String, Object> file = yaml.unmarshal(Files.readString(Helm.chart().resolve("files/grafana-dashboard.json")), Map.class);
    assertEquals(file, yaml.unmarshal(dashboard.getData().get("kvmguest.json"), Map.class), "the ConfigMap holds files/grafana-dashboard.json");
  }

  @Test
  void admissionPolicyValuesKeepTheAgentToItsOwnNode() {
    Rendered r = render("admission-policy-values.yaml");
    ValidatingAdmissionPolicy policy = r.one(ValidatingAdmissionPolicy.class, AGENT + "-own-node");
    assertEquals("admissionregistration.k8s.io/v1", policy.getApiVersion());
    assertEquals("Fail", policy.getSpec().getFailurePolicy());
    assertEquals(1, policy.getSpec().getMatchConditions().size());
    assertEquals("request.userInfo.username == '" + AGENT_SA_USER + "'", policy.getSpec().getMatchConditions().get(0).getExpression());
    Set<String> resources = new TreeSet<>();
    policy.getSpec().getMatchConstraints().getResourceRules().forEach(rule -> resources.addAll(rule.getResources()));
    assertEquals(Set.of("nodes", "virtualguests", "virtualguests/status", "leases"), resources);
    String nodeName = policy.getSpec().getVariables().stream().filter(v -> v.getName().equals("nodeName")).findFirst()
        .orElseThrow().getExpression();
    assertTrue(nodeName.contains("request.userInfo.extra['authentication.kubernetes.io/node-name'][0]"), nodeName);
    String all = String.join("\n", policy.getSpec().getValidations().stream().map(v -> v.getExpression()).toList());
    assertTrue(all.contains("object.metadata.name == variables.nodeName"), all);
    assertTrue(all.contains("labels['kvmguest.io/node'] == variables.nodeName"), all);
    assertTrue(all.contains("object.metadata.name == 'kvmguest-agent-' + variables.nodeName"), all);
    ValidatingAdmissionPolicyBinding binding = r.one(ValidatingAdmissionPolicyBinding.class, AGENT + "-own-node");
    assertEquals(policy.getMetadata().getName(), binding.getSpec().getPolicyName());
    assertEquals(List.of("Deny"), binding.getSpec().getValidationActions());
  }

  @Test
  void admissionPolicyNeedsKubernetes130() {
    Helm.Result result = Helm.template("--set", "admissionPolicy.enabled=true", "--kube-version", "1.29.0");
    assertNotEquals(0, result.exitCode());
    assertTrue(result.stderr().contains("Kubernetes >= 1.30"), result.stderr());
  }

  // --- values.schema.json ----------------------------------------------------------------------

  @Test
  void schemaRejectsAnUnknownNetworkMode() {
    Helm.Result result = Helm.template("--set", "agent.network.mode=bogus");
    assertNotEquals(0, result.exitCode(), "helm template must fail:\n" + result.stdout());
    assertTrue(result.stderr().contains("values don't meet the specifications of the schema"), result.stderr());
    assertTrue(result.stderr().contains("mode"), result.stderr());
  }

  @Test
  void schemaRejectsAnUnknownTopLevelKey() {
    Helm.Result result = Helm.template("--set", "agnet.stateDir=/tmp");
    assertNotEquals(0, result.exitCode(), "helm template must fail:\n" + result.stdout());
    assertTrue(result.stderr().contains("agnet"), result.stderr());
  }

  @Test
  void schemaRejectsAnUnknownNestedKeyAndAnUnknownUpdateStrategy() {
    Helm.Result nested = Helm.template("--set", "agent.stateDirectory=/tmp");
    assertNotEquals(0, nested.exitCode());
    assertTrue(nested.stderr().contains("stateDirectory"), nested.stderr());
    Helm.Result strategy = Helm.template("--set", "agent.updateStrategy.type=Replace");
    assertNotEquals(0, strategy.exitCode());
    assertTrue(strategy.stderr().contains("updateStrategy"), strategy.stderr());
    Helm.Result cgroups = Helm.template("--set", "agent.guestCgroups=cgroupv2");
    assertNotEquals(0, cgroups.exitCode());
    assertTrue(cgroups.stderr().contains("guestCgroups"), cgroups.stderr());
  }

  // --- helpers ---------------------------------------------------------------------------------

  static String value(List<String> args, String flag) {
    List<String> found = values(args, flag);
    assertEquals(1, found.size(), () -> flag + " once in " + args);
    return found.get(0);
  }

  static List<String> values(List<String> args, String flag) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals(flag) && i + 1 < args.size()) {
        found.add(args.get(i + 1));
      }
    }
    return Collections.unmodifiableList(found);
  }

  static String env(Container c, String name) {
    return c.getEnv() == null ? null
        : c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().map(EnvVar::getValue).orElse(null);
  }
}
