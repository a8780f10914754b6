package io.kvmguest.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An in-memory qemu monitor for tests of code above the seam. Commands answer from handlers
 * ({@link #on}); unknown ones fail with CommandNotFound as qemu does; {@code quit} answers and
 * then closes, as qemu does. Events and callbacks run synchronously on the calling thread.
 */
public final class FakeQmpMonitor implements QmpMonitor {
  /** One command the code under test ran. */
  public record Request(String command, JsonNode arguments) {}

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Function<JsonNode, JsonNode>> handlers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> closeCallbacks = new ArrayList<>(); // guarded by this
  private volatile boolean open = true;

  public FakeQmpMonitor() {
    on("quit", args -> {
      emit(QmpEvent.SHUTDOWN, "{\"guest\": false, \"reason\": \"host-qmp-quit\"}");
      return null;
    });
  }

  /** Answers {@code command} with the handler's result ({@code null} = {@code {}}); it may throw QmpException. */
  public FakeQmpMonitor on(String command, Function<JsonNode, JsonNode> handler) {
    handlers.put(command, handler);
    return this;
  }

  /** Answers {@code command} with a fixed JSON return value. */
  public FakeQmpMonitor returns(String command, String returnJson) {
    JsonNode value = parse(returnJson);
    return on(command, args -> value);
  }

  public void emit(String event, String dataJson) {
    QmpEvent qmpEvent = new QmpEvent(event, parse(dataJson), Instant.now());
    listeners.forEach(listener -> listener.accept(qmpEvent));
  }

  /** The connection ends from qemu's side (it exited). */
  public void peerClosed() {
    List<Runnable> callbacks;
    synchronized (this) {
      if (!open) {
        return;
      }
      open = false;
      callbacks = List.copyOf(closeCallbacks);
      closeCallbacks.clear();
    }
    callbacks.forEach(Runnable::run);
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<String> commands() {
    return requests.stream().map(Request::command).toList();
  }

  public int listenerCount() {
    return listeners.size();
  }

  @Override
  public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) {
    if (!open) {
      throw new QmpConnectionException(command, "fake QMP connection is closed", null);
    }
    requests.add(new Request(command, json.valueToTree(arguments)));
    Function<JsonNode, JsonNode> handler = handlers.get(command);
    if (handler == null) {
      throw new QmpException(command, "CommandNotFound", "The command " + command + " has not been found");
    }
    JsonNode result = handler.apply(json.valueToTree(arguments));
    if ("quit".equals(command)) {
      peerClosed();
    }
    return result != null ? result : JsonNodeFactory.instance.objectNode();
  }

  @Override
  public Subscription subscribe(Consumer<QmpEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void onClose(Runnable callback) {
    synchronized (this) {
      if (open) {
        closeCallbacks.add(callback);
        return;
      }
    }
    callback.run();
  }

  @Override
  public void close() {
    peerClosed();
  }

  private JsonNode parse(String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + text, e);
    }
  }
}
