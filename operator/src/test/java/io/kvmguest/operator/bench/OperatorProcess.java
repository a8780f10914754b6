package io.kvmguest.operator.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real operator ({@code OperatorMain}) in a JVM of its own, as its pod runs it ({@link PodJvm}:
 * the chart's JAVA_TOOL_OPTIONS under its memory limit), talking to the benchmark's mock API server
 * over HTTP: so its memory is its own. {@link #close} stops it with SIGTERM.
 */
final class OperatorProcess implements AutoCloseable {
  private static final String STARTED = "kvmguest operator started";

  private final Process process;
  private final CountDownLatch started = new CountDownLatch(1);

  private OperatorProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::drain, "operator-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the operator in {@code jvm} against {@code apiUrl} with {@code args} and waits until it says it started. */
  static OperatorProcess start(PodJvm jvm, String apiUrl, List<String> args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(jvm.containerOptions());
    argv.addAll(List.of("-Dkubernetes.master=" + apiUrl, "-Dkubernetes.auth.tryKubeConfig=false",
        "-Dkubernetes.auth.tryServiceAccount=false", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-cp", System.getProperty("java.class.path"), "io.kvmguest.operator.OperatorMain"));
    argv.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().put("JAVA_TOOL_OPTIONS", jvm.javaToolOptions()); // as the chart passes them
    OperatorProcess operator = new OperatorProcess(builder.start());
    if (!operator.started.await(60, TimeUnit.SECONDS)) {
      operator.close();
      throw new IllegalStateException("the operator process did not start within 60 s");
    }
    return operator;
  }

  /** "VmRSS … kB" and "VmHWM … kB" (the peak) of the operator's JVM, in MiB. */
  double[] rssAndPeakMiB() throws IOException {
    double rss = 0;
    double peak = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = kib(line) / 1024.0;
      } else if (line.startsWith("VmHWM:")) {
        peak = kib(line) / 1024.0;
      }
    }
    return new double[] {rss, peak};
  }

  /** CPU time the operator's JVM has used so far, in seconds: unlike wall time, barely moved by other load on the machine. */
  double cpuSeconds() {
    return process.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  private void drain() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.contains(STARTED)) {
          started.countDown();
        } else if (line.contains("ERROR") || line.contains("Exception")) {
          System.out.println("  operator: " + line);
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
