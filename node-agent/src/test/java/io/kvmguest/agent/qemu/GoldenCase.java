package io.kvmguest.agent.qemu;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kvmguest.agent.host.AcceleratorDecision;
import io.kvmguest.agent.host.HostFacts;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One golden case: {@code golden/NAME.yaml} (a VirtualGuest, with "# golden-host:" and optional
 * "# golden-state-dir:" comment lines) and its expected argv {@code golden/NAME.args}, one
 * argument per line.
 */
record GoldenCase(String name, VirtualGuest guest, HostFacts host, Path stateDir) {
  static final Path DIR = Path.of("src/test/resources/golden");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private static final Pattern DIRECTIVE = Pattern.compile("(?m)^# golden-([a-z-]+):\\s*(.+)$");

  static List<String> names() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static GoldenCase load(String name) {
    try {
      String text = Files.readString(DIR.resolve(name + ".yaml"));
      String host = null;
      Path stateDir = Path.of("/var/lib/kvmguest");
      Matcher m = DIRECTIVE.matcher(text);
      while (m.find()) {
        switch (m.group(1)) {
          case "host" -> host = m.group(2).strip();
          case "state-dir" -> stateDir = Path.of(m.group(2).strip());
          default -> throw new IllegalArgumentException(name + ".yaml: unknown directive golden-" + m.group(1));
        }
      }
      if (host == null) {
        throw new IllegalArgumentException(name + ".yaml: missing \"# golden-host: tcg-only|kvm-intel\"");
      }
      return new GoldenCase(name, YAML.readValue(text, VirtualGuest.class), GoldenHosts.named(host), stateDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path argsFile() {
    return DIR.resolve(name + ".args");
  }

  /** The pipeline under test: accelerator decision, launch planning, argv. */
  List<String> argv() {
    GoldenResolution resolution = new GoldenResolution(stateDir);
    LaunchPlan plan = LaunchPlanner.plan(guest.getSpec(), guest.getMetadata().getName(), guest.getMetadata().getUid(),
        AcceleratorDecision.decide(guest.getSpec().accelerator(), host),
        resolution.resources(guest), resolution.paths(guest));
    return new QemuCommandBuilder(host.qemuBinary()).argv(plan);
  }
}
