package io.kvmguest.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LinuxCommandRunnerTest {
  @Test
  void inANamespaceIpSwitchesItselfAndEverythingElseGoesThroughNetnsExec() {
    LinuxCommandRunner runner = new LinuxCommandRunner(Optional.of("kvg-node"));
    assertEquals(List.of("ip", "-n", "kvg-node", "-j", "link", "show"), runner.wrap(List.of("ip", "-j", "link", "show")));
    assertEquals(List.of("ip", "netns", "exec", "kvg-node", "qemu-img", "info", "x"), runner.wrap(List.of("qemu-img", "info", "x")));
    assertEquals(List.of("ip", "link"), LinuxCommandRunner.inRootNamespace().wrap(List.of("ip", "link")));
  }

  @Test
  void aCommandReturnsWhileOthersStartedBeforeItStillRun() throws Exception {
    LinuxCommandRunner runner = LinuxCommandRunner.inRootNamespace();
    // more long commands than the common pool has threads (on 3 or more CPUs; below that, the JDK gives
    // each async task a thread of its own anyway): each must not hold up the next
    int slow = Runtime.getRuntime().availableProcessors() + 2;
    List<CompletableFuture<CommandResult>> sleeping = new ArrayList<>();
    for (int i = 0; i < slow; i++) {
      sleeping.add(CompletableFuture.supplyAsync(() -> runner.run(List.of("sleep", "600"), Duration.ofSeconds(60)), runnerThread()));
    }
    awaitChildren("sleep", slow);
    try {
      CommandResult quick = runner.run(List.of("echo", "here"), Duration.ofSeconds(30));
      assertEquals("here\n", quick.stdout());
      assertTrue(sleeping.stream().noneMatch(CompletableFuture::isDone), "the quick command waited for the slow ones to end");
    } finally {
      children("sleep").forEach(ProcessHandle::destroy);
    }
    for (CompletableFuture<CommandResult> s : sleeping) {
      assertFalse(s.get(30, TimeUnit.SECONDS).ok(), "stopped by the test");
    }
  }

  private static java.util.concurrent.Executor runnerThread() {
    return r -> {
      Thread t = new Thread(r, "test-runner");
      t.setDaemon(true);
      t.start();
    };
  }

  /** This JVM's own children running {@code command}, which this test started. */
  private static List<ProcessHandle> children(String command) {
    return ProcessHandle.current().children().filter(p -> p.info().command().filter(c -> c.endsWith("/" + command)).isPresent()).toList();
  }

  private static void awaitChildren(String command, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (children(command).size() < n) {
      assertTrue(System.nanoTime() < deadline, n + " " + command + " processes did not start within 30 s");
      Thread.onSpinWait();
    }
  }
}
