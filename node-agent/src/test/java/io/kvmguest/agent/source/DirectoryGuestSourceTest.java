package io.kvmguest.agent.source;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmguest.agent.testing.GuestManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryGuestSourceTest {
  @TempDir
  Path dir;
  DirectoryGuestSource source;

  @AfterEach
  void close() {
    source.close();
  }

  @Test
  void aFileWrittenOrRemovedIsSeenWithoutWaitingForThePoll() throws Exception {
    // An hour between polls: only the directory watch can see these changes within the test's bounds.
    source = new DirectoryGuestSource(dir, Duration.ofHours(1));
    AtomicInteger changes = new AtomicInteger();
    source.start(changes::incrementAndGet);
    assertEquals(0, source.guests().size());

    Path tmp = dir.resolve(".vm.tmp");
    Files.writeString(tmp, GuestManifests.isoGuest("vm", "virtio"));
    Files.move(tmp, dir.resolve("vm.yaml"), StandardCopyOption.ATOMIC_MOVE);
    await("the new file's guest").atMost(Duration.ofSeconds(10)).until(() -> source.guests().size() == 1);
    assertEquals("vm", source.guests().get(0).getMetadata().getName());

    Files.delete(dir.resolve("vm.yaml"));
    await("the removed file's guest gone").atMost(Duration.ofSeconds(10)).until(() -> source.guests().isEmpty());
    assertEquals(2, changes.get(), "one change each: the new guest, and its removal");
  }
}
