package io.kvmguest.operator.mac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.api.v1alpha1.MacAddresses;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MacAllocatorTest {

  @Test
  void generatedMacsFollowTheSeedsMacgen() {
    MacAllocator allocator = new MacAllocator("00:16:3e", new Random(1));
    for (int i = 0; i < 500; i++) {
      String mac = allocator.generate("g" + i);
      assertTrue(mac.matches("00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}"), mac);
      assertEquals(Optional.empty(), MacAddresses.problem(mac));
    }
  }

  @Test
  void aClaimedMacIsNeverGenerated() {
    // a generator that would return the same address over and over, then another one
    Random stuck = new Random() {
      private int calls;

      @Override
      public int nextInt(int bound) {
        return calls++ < 3 ? 0x01 : 0x02;
      }
    };
    MacAllocator allocator = new MacAllocator("00:16:3e", stuck);
    assertEquals(Optional.empty(), allocator.claim("00:16:3E:01:01:01", "ns/a"));
    assertEquals("00:16:3e:02:02:02", allocator.generate("ns/b"));
  }

  @Test
  void claimsReportTheOtherOwnerCaseInsensitively() {
    MacAllocator allocator = new MacAllocator("00:16:3e", new Random(2));
    assertEquals(Optional.empty(), allocator.claim("00:16:3e:51:fb:ce", "ns/a"));
    assertEquals(Optional.empty(), allocator.claim("00:16:3e:51:fb:ce", "ns/a"), "the owner may claim again");
    assertEquals(Optional.of("ns/a"), allocator.claim("00:16:3E:51:FB:CE", "ns/b"));
    allocator.releaseAll("ns/a");
    assertEquals(Optional.empty(), allocator.claim("00:16:3e:51:fb:ce", "ns/b"));
  }

  @Test
  void concurrentRequestsNeverShareAMac() throws InterruptedException {
    // a tiny address space (prefix + small random range) makes collisions likely if unsynchronized
    MacAllocator allocator = new MacAllocator("02:00:00", new Random(3));
    Set<String> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Integer> guests = IntStream.range(0, 2000).boxed().toList();
    guests.forEach(g -> pool.execute(() -> {
      try {
        start.await();
      } catch (InterruptedException e) {
        return;
      }
      assertTrue(seen.add(allocator.generate("ns/g" + g)));
    }));
    start.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals(2000, seen.size());
    assertEquals(2000, allocator.size());
  }

  @Test
  void prefixMustBeUnicastAndThreeOctets() {
    assertThrows(IllegalArgumentException.class, () -> new MacAllocator("01:00:5e", new Random()));
    assertThrows(IllegalArgumentException.class, () -> new MacAllocator("00:16", new Random()));
    assertEquals("00:16:3e", MacAllocator.checkPrefix("00:16:3E"));
  }
}
