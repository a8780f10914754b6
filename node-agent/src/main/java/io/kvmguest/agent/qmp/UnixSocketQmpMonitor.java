package io.kvmguest.agent.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QMP over qemu's unix socket ({@code -qmp unix:PATH,server=on,wait=off}). A daemon reader thread
 * matches replies to waiting callers by {@code id} and hands events and the close notice, in
 * order, to a second daemon thread, so listeners may themselves run commands.
 */
public final class UnixSocketQmpMonitor implements QmpMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(UnixSocketQmpMonitor.class);

  private final Path socket;
  private final SocketChannel channel;
  private final ObjectMapper json = new ObjectMapper();
  private final Object writeLock = new Object();
  private final AtomicLong nextId = new AtomicLong(1);
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
  private final List<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> closeCallbacks = new ArrayList<>(); // guarded by this
  private final ExecutorService dispatcher;
  private volatile boolean open = true;
  private volatile boolean closedLocally;
  private boolean ended; // guarded by this

  private UnixSocketQmpMonitor(Path socket, SocketChannel channel) {
    this.socket = socket;
    this.channel = channel;
    this.dispatcher = Executors.newSingleThreadExecutor(daemon("qmp-events " + socket));
  }

  /** See {@link QmpConnector#connect}; {@code UnixSocketQmpMonitor::connect} is a connector. */
  public static UnixSocketQmpMonitor connect(Path socket, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    UnixSocketQmpMonitor monitor = new UnixSocketQmpMonitor(socket, UnixSocketDialer.dial(socket, timeout, deadline));
    daemon("qmp-reader " + socket).newThread(monitor::readLoop).start();
    try {
      monitor.awaitGreeting(remaining(deadline));
      monitor.execute("qmp_capabilities", Map.of(), remaining(deadline));
      return monitor;
    } catch (RuntimeException e) {
      monitor.close();
      throw e;
    }
  }

  @Override
  public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(arguments, "arguments");
    long id = nextId.getAndIncrement();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    try {
      // Checked after registering: either this sees the close, or end() fails the registered reply.
      if (!open) {
        throw new QmpConnectionException(command, "QMP connection to " + socket + " is closed", null);
      }
      if (Thread.currentThread().isInterrupted()) {
        // A SocketChannel closes when a thread with its interrupt set writes to it: one caller's
        // interrupt (a metrics sampler shut down) would cut the connection every other caller
        // shares, such as the agent's own stop of the guest.
        throw new QmpException(command, "interrupted before sending " + command, (Throwable) null);
      }
      send(request(command, arguments, id));
      return unwrap(command, reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      throw new QmpTimeoutException(command, "reply to " + command, timeout);
    } catch (ExecutionException e) {
      throw new QmpConnectionException(command, e.getCause().getMessage() + " while running " + command, e.getCause());
    } catch (IOException e) {
      throw new QmpConnectionException(command, "cannot send " + command + " to " + socket + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpException(command, "interrupted while waiting for the reply to " + command, e);
    } finally {
      pending.remove(id);
    }
  }

  @Override
  public Subscription subscribe(Consumer<QmpEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void onClose(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    synchronized (this) {
      if (!ended) {
        closeCallbacks.add(callback);
        return;
      }
    }
    runGuarded(callback, "close callback");
  }

  @Override
  public void close() {
    closedLocally = true;
    open = false;
    closeQuietly(channel); // wakes the reader, which then runs end()
  }

  private void awaitGreeting(Duration timeout) {
    try {
      greeting.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new QmpTimeoutException("", "QMP greeting on " + socket + " (is another client connected?)", timeout);
    } catch (ExecutionException e) {
      throw new QmpConnectionException("", e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpConnectionException("", "interrupted while waiting for the QMP greeting", e);
    }
  }

  private void readLoop() {
    Exception failure = null;
    try {
      QmpLineReader reader = new QmpLineReader(channel);
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        handle(line);
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      end(failure);
    }
  }

  private void handle(String line) {
    JsonNode message;
    try {
      message = json.readTree(line);
    } catch (JsonProcessingException e) {
      message = null;
    }
    if (message == null || !message.isObject()) {
      // qemu writes one JSON object per line; skip anything else rather than drop a live guest.
      LOG.warn("ignoring malformed QMP message from {}: {}", socket, abbreviate(line));
      return;
    }
    if (!greeting.isDone()) {
      if (message.has("QMP")) {
        greeting.complete(message);
      } else {
        greeting.completeExceptionally(new QmpConnectionException("",
            "expected the QMP greeting from " + socket + ", got: " + abbreviate(line), null));
      }
      return;
    }
    if (message.has("event")) {
      QmpEvent event = QmpEvent.fromWire(message);
      dispatcher.execute(() -> listeners.forEach(l -> runGuarded(() -> l.accept(event), "event listener")));
      return;
    }
    JsonNode id = message.get("id");
    CompletableFuture<JsonNode> waiter = id != null && id.canConvertToLong() ? pending.remove(id.asLong()) : null;
    if (waiter != null) {
      waiter.complete(message);
    } else {
      // A reply after its caller timed out, or qemu's id-less error about unparsable input.
      LOG.warn("ignoring QMP reply nobody waits for from {}: {}", socket, abbreviate(line));
    }
  }

  private void end(Exception failure) {
    open = false;
    closeQuietly(channel);
    String why = closedLocally ? "closed by this side"
        : failure == null ? "qemu closed the connection" : "connection failed: " + failure;
    LOG.debug("QMP connection to {} ended: {}", socket, why);
    QmpConnectionException closed = new QmpConnectionException("", "QMP connection to " + socket + " ended ("
        + why + ")", failure);
    greeting.completeExceptionally(closed);
    pending.values().forEach(reply -> reply.completeExceptionally(closed));
    List<Runnable> callbacks;
    synchronized (this) {
      ended = true;
      callbacks = List.copyOf(closeCallbacks);
      closeCallbacks.clear();
    }
    callbacks.forEach(callback -> dispatcher.execute(() -> runGuarded(callback, "close callback")));
    dispatcher.shutdown(); // its thread ends after the queued events and callbacks
  }

  private String request(String command, Map<String, ?> arguments, long id) {
    ObjectNode request = json.createObjectNode().put("execute", command);
    if (!arguments.isEmpty()) {
      request.set("arguments", json.valueToTree(arguments));
    }
    request.put("id", id);
    return request.toString();
  }

  private void send(String message) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8));
    synchronized (writeLock) {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }

  private static JsonNode unwrap(String command, JsonNode reply) {
    JsonNode error = reply.get("error");
    if (error != null) {
      throw new QmpException(command, error.path("class").asText(), error.path("desc").asText());
    }
    return reply.has("return") ? reply.get("return") : NullNode.getInstance();
  }

  private static void runGuarded(Runnable action, String what) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("QMP {} failed", what, e);
    }
  }

  static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }

  private static String abbreviate(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  static void closeQuietly(SocketChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // Closing is best effort; the reader ends either way.
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
