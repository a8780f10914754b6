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

/** {@link QemuImg} by running the {@code qemu-img} program (never through a shell). */
public final class LinuxQemuImg implements QemuImg {
  private static final ObjectMapper JSON = new ObjectMapper();

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
    run(quickTimeout, "create", "-q", "-f", format, image.toString(), Long.toString(sizeBytes));
  }

  @Override
  public void createOverlay(Path overlay, Path base, String baseFormat) {
    run(quickTimeout, "create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", baseFormat, overlay.toString());
  }

  @Override
  public void convert(Path source, String sourceFormat, Path target, String targetFormat) {
    run(copyTimeout, "convert", "-q", "-f", sourceFormat, "-O", targetFormat, source.toString(), target.toString());
  }

  @Override
  public void resize(Path image, String format, long sizeBytes) {
    run(quickTimeout, "resize", "-q", "-f", format, image.toString(), Long.toString(sizeBytes));
  }

  @Override
  public ImageInfo info(Path image, String format) {
    // -U: reading metadata must also work while a running guest holds the image's write lock.
    List<String> args = new ArrayList<>(List.of("info", "-U", "--output=json"));
    if (format != null) {
      args.addAll(List.of("-f", format));
    }
    args.add(image.toString());
    return parseInfo(run(quickTimeout, args.toArray(String[]::new)));
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
          text(root.path("format-specific").path("data").get("data-file")));
    } catch (IOException e) {
      throw new QemuImgException("qemu-img info output is not JSON: " + json, e);
    }
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
