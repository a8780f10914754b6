package io.kvmguest.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every malformed guest in bad-guests.yaml, applied with kubectl to one standalone process: each is refused with a
 * message naming its field, by whichever layer catches it (kubectl/API, operator Valid=False, agent Ready=False),
 * and none leaves a qemu, a tap or a file behind.
 */
class BadInputCorpusIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration VERDICTS = Duration.ofSeconds(120);

  @TempDir Path tmp;
  private NetnsFixture ns;
  private StandaloneRun standalone;
  private Process run;

  /** One entry of the corpus; {@code object} is the valid base guest with the case's patch merged in. */
  record BadGuest(String name, String field, ObjectNode object) {
    String objectName() {
      return object.path("metadata").path("name").asText();
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    Requirements.guestHost();
    Requirements.binary("kubectl");
    ns = NetnsFixture.create("bad");
    standalone = new StandaloneRun(ns, tmp.resolve("state"));
    run = standalone.start(tmp.resolve("standalone.log"));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (run != null) {
      run.destroy();
      if (!run.waitFor(60, TimeUnit.SECONDS)) {
        run.destroyForcibly();
      }
    }
    if (ns != null) {
      ns.close();
    }
  }

  @Test
  void everyBadGuestIsRefusedNamingItsFieldAndLeavesNothingBehind() throws IOException {
    List<BadGuest> corpus = corpus();
    assertTrue(corpus.size() >= 40, "the corpus has " + corpus.size() + " cases");
    List<String> problems = new ArrayList<>();
    Map<BadGuest, String> accepted = new LinkedHashMap<>();
    for (BadGuest bad : corpus) {
      Path file = Files.writeString(tmp.resolve(bad.name() + ".json"), JSON.writeValueAsString(bad.object()));
      CommandResult applied = standalone.kubectl(Duration.ofSeconds(60), "apply", "-f", file.toString());
      if (applied.ok()) {
        accepted.put(bad, "");
      } else if (!(applied.stderr() + applied.stdout()).contains(bad.field())) {
        problems.add(bad.name() + ": kubectl refused it without naming " + bad.field() + ": " + applied.stderr().strip());
      }
    }

    // The operator and the agent answer in their own time: wait until every accepted guest has a False condition
    // naming its field; on timeout, the cases still without one are reported below with what they did say.
    try {
      await("a verdict naming the field on every accepted bad guest").atMost(VERDICTS).pollInterval(Duration.ofSeconds(2))
          .until(() -> refreshVerdicts(accepted));
    } catch (ConditionTimeoutException e) {
      // reported per case below
    }
    accepted.forEach((bad, conditions) -> {
      if (!conditions.contains(bad.field())) {
        problems.add(bad.name() + ": accepted, and no False condition names " + bad.field() + ": "
            + (conditions.isEmpty() ? "(none)" : conditions));
      }
    });

    problems.addAll(leftovers(accepted.keySet()));
    if (!problems.isEmpty()) {
      fail(problems.size() + " of " + corpus.size() + " bad guests were not handled as they should be:\n  "
          + String.join("\n  ", problems));
    }
  }

  /** Re-reads the conditions of the guests whose verdict does not name their field yet; true when all do. */
  private boolean refreshVerdicts(Map<BadGuest, String> accepted) throws IOException {
    boolean all = true;
    for (var entry : accepted.entrySet()) {
      if (!entry.getValue().contains(entry.getKey().field())) {
        entry.setValue(falseConditions(entry.getKey()));
        all &= entry.getValue().contains(entry.getKey().field());
      }
    }
    return all;
  }

  /** The messages of the guest's False conditions (Valid from the operator, Ready from the agent), one a line. */
  private String falseConditions(BadGuest bad) throws IOException {
    CommandResult r = standalone.kubectl(Duration.ofSeconds(30), "get", "vg", bad.objectName(), "-o", "json");
    if (!r.ok()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode c : JSON.readTree(r.stdout()).path("status").path("conditions")) {
      if ("False".equals(c.path("status").asText()) && !c.path("message").asText().isEmpty()
          && (c.path("type").asText().equals("Valid") || c.path("type").asText().equals("Ready"))) {
        out.append(c.path("type").asText()).append('/').append(c.path("reason").asText()).append(": ")
            .append(c.path("message").asText()).append('\n');
      }
    }
    return out.toString();
  }

  /** No qemu for this state dir, no tap in the namespace, no file under the agent's state named by a bad guest's uid. */
  private List<String> leftovers(Iterable<BadGuest> accepted) throws IOException {
    List<String> found = new ArrayList<>();
    Path state = tmp.resolve("state");
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.filter(p -> p.info().commandLine().orElse("").contains("qemu-system") && p.info().commandLine().orElse("").contains(state.toString()))
          .forEach(p -> found.add("a qemu runs: pid " + p.pid() + " " + p.info().commandLine().orElse("")));
    }
    String taps = ns.run(Duration.ofSeconds(10), "ip", "-o", "link", "show", "type", "tun").stdout().strip();
    if (!taps.isEmpty()) {
      found.add("taps exist in the namespace: " + taps);
    }
    List<String> uids = new ArrayList<>();
    for (BadGuest bad : accepted) {
      CommandResult r = standalone.kubectl(Duration.ofSeconds(30), "get", "vg", bad.objectName(), "-o", "jsonpath={.metadata.uid}");
      if (r.ok() && !r.stdout().isBlank()) {
        uids.add(r.stdout().strip());
      }
    }
    Path node = state.resolve("node");
    if (Files.isDirectory(node)) {
      try (Stream<Path> files = Files.walk(node)) {
        files.filter(p -> uids.stream().anyMatch(uid -> p.toString().contains(uid)))
            .forEach(p -> found.add("left in the state dir: " + state.relativize(p)));
      }
    }
    return found;
  }

  private static List<BadGuest> corpus() throws IOException {
    JsonNode cases;
    try (InputStream in = BadInputCorpusIT.class.getResourceAsStream("/bad-guests.yaml")) {
      cases = YAML.readTree(in.readAllBytes());
    }
    List<BadGuest> corpus = new ArrayList<>();
    for (JsonNode c : cases) {
      String name = c.path("name").asText();
      JsonNode patch = YAML.readTree(c.path("patch").toString().replace("${IMAGES}", GuestImages.OUT.toString()));
      corpus.add(new BadGuest(name, c.path("field").asText(), (ObjectNode) mergePatch(base(name), patch)));
    }
    return corpus;
  }

  private static ObjectNode base(String name) {
    ObjectNode guest = JSON.createObjectNode().put("apiVersion", "kvmguest.io/v1alpha1").put("kind", "VirtualGuest");
    guest.putObject("metadata").put("name", name);
    ObjectNode spec = guest.putObject("spec").put("memory", "256Mi");
    spec.putArray("cdroms").addObject().put("name", "cd").putObject("iso").put("path", GuestImages.iso().toString());
    spec.putArray("interfaces").addObject().put("name", "lan");
    return guest;
  }

  /** RFC 7386: objects merge key by key, null removes a key, anything else replaces. */
  private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject() || !target.isObject()) {
      return patch;
    }
    ObjectNode result = ((ObjectNode) target).deepCopy();
    patch.fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.path(e.getKey()), e.getValue()));
      }
    });
    return result;
  }
}
