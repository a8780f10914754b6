package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryStoreTest {
  @TempDir Path state;

  @Test
  void aOnceGuestThatRanStaysDoneForANewAgent() {
    new HistoryStore(state).save("u1", RunPolicy.History.NONE.afterExit(true));
    RunPolicy.History reloaded = new HistoryStore(state).load("u1");
    assertEquals(new RunPolicy.History(1, true), reloaded);
    assertEquals(false, RunPolicy.shouldRun("Once", Map.of(), reloaded));
    assertEquals("Succeeded", RunPolicy.restingPhase("Once", reloaded));
  }

  @Test
  void unknownOrDeletedGuestsHaveNoHistory() {
    HistoryStore store = new HistoryStore(state);
    assertEquals(RunPolicy.History.NONE, store.load("nobody"));
    store.save("u2", new RunPolicy.History(2, false));
    store.delete("u2");
    assertEquals(RunPolicy.History.NONE, store.load("u2"));
  }
}
