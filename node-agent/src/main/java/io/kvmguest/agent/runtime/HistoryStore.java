package io.kvmguest.agent.runtime;

import io.kvmguest.agent.host.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What happened to each guest's qemu before ({@link RunPolicy.History}), kept in the state dir so
 * that a guest that ran Once is not run again after an agent restart. One line per guest:
 * {@code exits=N byGuest=true|false}.
 */
public final class HistoryStore {
  private static final Pattern LINE = Pattern.compile("exits=(\\d+) byGuest=(true|false)");
  private final Path dir;

  public HistoryStore(Path stateDir) {
    this.dir = stateDir.resolve("history");
  }

  public RunPolicy.History load(String uid) {
    try {
      Path file = dir.resolve(uid);
      if (!Files.isRegularFile(file)) {
        return RunPolicy.History.NONE;
      }
      Matcher m = LINE.matcher(Files.readString(file).trim());
      return m.matches() ? new RunPolicy.History(Integer.parseInt(m.group(1)), Boolean.parseBoolean(m.group(2))) : RunPolicy.History.NONE;
    } catch (IOException e) {
      return RunPolicy.History.NONE;
    }
  }

  public void save(String uid, RunPolicy.History history) {
    try {
      String line = "exits=" + history.exits() + " byGuest=" + history.lastExitByGuest() + "\n";
      AtomicFiles.replace(dir.resolve(uid), line.getBytes(StandardCharsets.UTF_8), AtomicFiles.Access.WORLD_READABLE,
          AtomicFiles.Durability.CACHED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void delete(String uid) {
    try {
      Files.deleteIfExists(dir.resolve(uid));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
