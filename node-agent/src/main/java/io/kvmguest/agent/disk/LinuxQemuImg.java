package io.kvmguest.agent.disk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmguest.agent.exec.CommandFailedException;
import io.kvmguest.agent.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link QemuImg} by running the {@code qemu-img} program (never through a shell). Every command
 * names the format of each image it opens, and only raw or qcow2: qemu-img never probes.
 */
public final class LinuxQemuImg implements QemuImg {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FORMATS = Set.of("raw", "qcow2");

  private final CommandRunner runner;
  private final Duration quickTimeout;
  private final Duration copyTimeout;

  /**
   * @param quickTimeout bound on metadata operations (create, info, resize)
   * @param copyTimeout  bound on a full copy, which reads the whole source
   */
  public LinuxQemuImg(CommandRunner runner, Duration quickTimeout, Duration copyTimeout) {
    this.runner = runner;
    this.quickTimeout = quickTimeout;
    this.copyTimeout = copyTimeout;
  }

  public LinuxQemuImg(CommandRunner runner) {
    this(runner, Duration.ofMinutes(1), Duration.ofHours(1));
  }

  @Override
  public void create(Path image, String format, long sizeBytes) {
    run(quickTimeout, "create", "-q", "-f", named(format), image.toString(), Long.toString(sizeBytes));
  }

  @Override
  public void createOverlay(Path overlay, Path base, String baseFormat) {
    run(quickTimeout, "create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", named(baseFormat), overlay.toString());
  }

  @Override
  public void convert(Path source, String sourceFormat, Path target, String targetFormat) {
    run(copyTimeout, "convert", "-q", "-f", named(sourceFormat), "-O", named(targetFormat), source.toString(), target.toString());
  }

  @Override
  public void resize(Path image, String format, long sizeBytes) {
    run(quickTimeout, "resize", "-q", "-f", named(format), image.toString(), Long.toString(sizeBytes));
  }

  @Override
  public ImageInfo info(Path image, String format) {
    // -U: reading metadata must also work while a running guest holds the image's write lock.
    return parseInfo(run(quickTimeout, "info", "-U", "--output=json", "-f", named(format), image.toString()));
  }

  /** Guards the interface's promise: a caller bug must not reach qemu-img as a probe or a VMDK. */
  private static String named(String format) {
    if (format == null || !FORMATS.contains(format)) {
      throw new IllegalArgumentException("image format \"" + format + "\" is not allowed: only raw or qcow2");
    }
    return format;
  }

  /** Reads {@code qemu-img info --output=json}. */
  static ImageInfo parseInfo(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      JsonNode format = root.get("format");
      JsonNode size = root.get("virtual-size");
      if (format == null || size == null) {
        throw new QemuImgException("qemu-img info output lacks format or virtual-size: " + json);
      }
      return new ImageInfo(format.asText(), size.asLong(),
          text(root.get("backing-filename")),
          text(root.path("format-specific").path("data").get("data-file")),
          otherFiles(root));
    } catch (IOException e) {
      throw new QemuImgException("qemu-img info output is not JSON: " + json, e);
    }
  }

  /** VMDK extents, and (qemu-img 8+) every child but the image's own protocol layer "file". */
  private static List<String> otherFiles(JsonNode root) {
    List<String> files = new ArrayList<>();
    for (JsonNode extent : root.path("format-specific").path("data").path("extents")) {
      files.add(extent.path("filename").asText("?"));
    }
    for (JsonNode child : root.path("children")) {
      String name = child.path("name").asText("");
      if (!name.equals("file")) {
        files.add(child.path("info").path("filename").asText(name));
      }
    }
    return files;
  }

  private static Optional<String> text(JsonNode node) {
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
  }

  private String run(Duration timeout, String... args) {
    List<String> argv = new ArrayList<>(List.of("qemu-img"));
    argv.addAll(List.of(args));
    try {
      return runner.check(argv, timeout).stdout();
    } catch (CommandFailedException e) {
      throw new QemuImgException(e.getMessage(), e);
    }
  }
}
