package io.kvmguest.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatsTest {
  // A qemu's /proc/PID/stat (trimmed after field 20): utime 1234, stime 566 ticks.
  static final String STAT = "4242 (qemu-system-x86) S 1 4242 4242 0 -1 4194560 51234 0 12 0 1234 566 0 0 20 0 5 0 123456 "
      + "1234567890 76800 18446744073709551615";
  static final List<String> STATUS = List.of("Name:\tqemu-system-x86", "State:\tS (sleeping)", "Pid:\t4242",
      "VmPeak:\t 2345678 kB", "VmRSS:\t  307200 kB", "RssAnon:\t  300000 kB", "Threads:\t5");

  @Test
  void cpuSecondsAreUtimePlusStimeInClockTicks() {
    assertEquals(Optional.of(18.0), ProcStats.cpuSeconds(List.of(STAT)));
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
    String odd = "77 (qemu (guest) x) R 1 77 77 0 -1 0 0 0 0 0 250 50 0 0 20 0 1 0 1 1 1";
    assertEquals(Optional.of(3.0), ProcStats.cpuSeconds(List.of(odd)));
  }

  @Test
  void residentBytesAreVmRssInBytes() {
    assertEquals(Optional.of(307200L * 1024), ProcStats.residentBytes(STATUS));
  }

  @Test
  void aKernelThreadOrZombieWithoutRssGivesNoSample() {
    List<String> zombie = List.of("Name:\tqemu", "State:\tZ (zombie)");
    assertEquals(Optional.empty(), ProcStats.residentBytes(zombie));
    assertEquals(Optional.empty(), ProcStats.parse(List.of(STAT), zombie));
    assertEquals(Optional.empty(), ProcStats.cpuSeconds(List.of()));
    assertEquals(Optional.empty(), ProcStats.cpuSeconds(List.of("12 (x) S 1 2")));
  }

  @Test
  void bothTogether() {
    assertEquals(Optional.of(new ProcStats.Sample(18.0, 307200L * 1024)), ProcStats.parse(List.of(STAT), STATUS));
  }

  @Test
  void linuxProcessesReadsAProcTreeAndTheRealOne(@TempDir Path proc) throws IOException {
    Path pid = Files.createDirectories(proc.resolve("4242"));
    Files.writeString(pid.resolve("stat"), STAT + "\n");
    Files.write(pid.resolve("status"), STATUS);
    assertEquals(Optional.of(new ProcStats.Sample(18.0, 307200L * 1024)), new LinuxProcesses(proc).read(4242));
    assertEquals(Optional.empty(), new LinuxProcesses(proc).read(4243), "a gone process");

    Optional<ProcStats.Sample> self = new LinuxProcesses().read(ProcessHandle.current().pid());
    assertTrue(self.isPresent() && self.get().residentBytes() > 0 && self.get().cpuSeconds() > 0, "this JVM: " + self);
  }
}
