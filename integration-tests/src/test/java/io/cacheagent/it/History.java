package io.cacheagent.it;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations of a history run and the faults made during it, and the check: a read is stale
 * when it returned a version older than that of a write which ended before the read began.
 *
 * <p>A stale read is excused only when every write it missed overlaps a fault window: from the
 * moment Redis was killed or paused until {@link #GRACE_NANOS} after it answered again. There a
 * write's eviction may not be confirmed, and the README does not promise that other JVMs see it.
 *
 * <p>With a near cache, a read may also miss a write that ended less than the near cache's bound
 * before it began (a copy is served until Redis's message about the write arrives): such reads
 * are counted apart, with the longest such lag seen, and are stale only past the bound.
 */
final class History {

  /** After a fault: the circuit breakers' open period (1 s) and the time it takes a probe to close them. */
  static final long GRACE_NANOS = 2_000_000_000L;

  private record Op(boolean write, int account, long began, long ended, long version) {}

  private record Window(long from, long to) {}

  /**
   * What the check found; {@code examples}: a few stale reads, each with the write it missed;
   * {@code excusedByFault}: per fault, how many reads were excused and how long after Redis
   * answered again the last of them began; {@code withinLag}: reads that missed a write only by less
   * than the lag allowed, the longest of those lags {@code longestLagNanos}.
   */
  record Verdict(int reads, int writes, int excused, List<String> stale, List<String> examples, List<String> excusedByFault,
      int withinLag, long longestLagNanos) {
    @Override
    public String toString() {
      return reads + " reads and " + writes + " writes checked, " + stale.size() + " stale, " + excused
          + " stale but excused (a write they missed overlapped a fault" + (excused == 0 ? "" : ": " + excusedByFault) + ")"
          + (withinLag == 0 ? "" : String.format(", %d within the lag allowed (the longest %.3f ms after the write returned)",
              withinLag, longestLagNanos / 1e6));
    }
  }

  private final List<Op> ops = new ArrayList<>();
  private final List<Window> faults = new ArrayList<>();
  private long faultBegan;
  private long nearHits;

  /** Reads the JVMs served from near copies, from their exit reports. */
  void addNearHits(long count) {
    nearHits += count;
  }

  long nearHits() {
    return nearHits;
  }

  void faultBegins() {
    faultBegan = System.nanoTime();
  }

  void faultEnds() {
    faults.add(new Window(faultBegan, System.nanoTime() + GRACE_NANOS));
  }

  String faults() {
    List<String> spans = new ArrayList<>();
    for (Window w : faults) {
      spans.add("[" + at(w.from) + ", " + at(w.to - GRACE_NANOS) + "]");
    }
    return spans.toString();
  }

  /** Takes the lines a HistoryApp wrote: {@code R|W account began ended version}. */
  void read(List<String> lines) {
    for (String line : lines) {
      String[] f = line.split(" ");
      ops.add(new Op(f[0].equals("W"), Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
    }
  }

  Verdict check() {
    return check(0);
  }

  /** The check, where a read may miss writes that ended less than {@code lagNanos} before it began. */
  Verdict check(long lagNanos) {
    Map<Integer, List<Op>> writesByAccount = new HashMap<>();
    int reads = 0;
    int writes = 0;
    for (Op op : ops) {
      if (op.write) {
        writesByAccount.computeIfAbsent(op.account, a -> new ArrayList<>()).add(op);
        writes++;
      }
    }
    // Per account, the writes by end time, with the highest version ended so far: of all, and of
    // those outside every fault window.
    Map<Integer, long[][]> prefix = new HashMap<>();
    writesByAccount.forEach((account, list) -> {
      list.sort(Comparator.comparingLong(Op::ended));
      long[][] p = new long[5][list.size()];
      long all = -1;
      long allIndex = -1;
      long outside = -1;
      long outsideIndex = -1;
      for (int i = 0; i < list.size(); i++) {
        Op w = list.get(i);
        if (w.version > all) {
          all = w.version;
          allIndex = i;
        }
        if (!overlapsFault(w) && w.version > outside) {
          outside = w.version;
          outsideIndex = i;
        }
        p[0][i] = w.ended;
        p[1][i] = all;
        p[2][i] = outside;
        p[3][i] = outsideIndex;
        p[4][i] = allIndex;
      }
      prefix.put(account, p);
    });
    int excused = 0;
    int[] excusedIn = new int[faults.size()];
    long[] lastExcusedAfter = new long[faults.size()];
    List<String> stale = new ArrayList<>();
    int withinLag = 0;
    long longestLag = 0;
    for (Op read : ops) {
      if (read.write) {
        continue;
      }
      reads++;
      long[][] p = prefix.get(read.account);
      int lastAtAll = p == null ? -1 : lastEndedBefore(p[0], read.began);
      int last = p == null ? -1 : lastEndedBefore(p[0], read.began - lagNanos);
      if (lastAtAll >= 0 && p[2][lastAtAll] > read.version && (last < 0 || p[2][last] <= read.version)) {
        withinLag++;
        longestLag = Math.max(longestLag, read.began - firstMissed(writesByAccount.get(read.account), lastAtAll, read.version));
      }
      if (last < 0) {
        continue;
      }
      if (p[2][last] > read.version) {
        Op missed = writesByAccount.get(read.account).get((int) p[3][last]);
        stale.add("account " + read.account + ": a read [" + at(read.began) + ", " + at(read.ended) + "] returned version "
            + read.version + ", but the write of version " + missed.version + " [" + at(missed.began) + ", " + at(missed.ended)
            + "] had returned");
      } else if (p[1][last] > read.version) {
        excused++;
        int fault = faultOf(writesByAccount.get(read.account).get((int) p[4][last]));
        excusedIn[fault]++;
        lastExcusedAfter[fault] = Math.max(lastExcusedAfter[fault], read.began - (faults.get(fault).to - GRACE_NANOS));
      }
    }
    List<String> byFault = new ArrayList<>();
    for (int i = 0; i < faults.size(); i++) {
      byFault.add("fault " + (i + 1) + ": " + excusedIn[i] + (excusedIn[i] == 0 ? ""
          : String.format(", the last begun %.0f ms after it ended", lastExcusedAfter[i] / 1e6)));
    }
    return new Verdict(reads, writes, excused, stale, stale.subList(0, Math.min(5, stale.size())), byFault, withinLag, longestLag);
  }

  /** When the first write (by end) up to {@code last}, outside every fault, of a version above {@code version} ended. */
  private long firstMissed(List<Op> writesByEnd, int last, long version) {
    for (int i = 0; i <= last; i++) {
      Op w = writesByEnd.get(i);
      if (w.version > version && !overlapsFault(w)) {
        return w.ended;
      }
    }
    return writesByEnd.get(last).ended;
  }

  /** A time as seconds since the first operation, for messages. */
  private String at(long nanos) {
    long first = Long.MAX_VALUE;
    for (Op op : ops) {
      first = Math.min(first, op.began);
    }
    return String.format("%.6f s", (nanos - first) / 1e9);
  }

  private boolean overlapsFault(Op write) {
    return faultOf(write) >= 0;
  }

  /** The index of the first fault window {@code write} overlaps, or -1. */
  private int faultOf(Op write) {
    for (int i = 0; i < faults.size(); i++) {
      Window w = faults.get(i);
      if (write.began <= w.to && write.ended >= w.from) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the last write that ended before {@code time}, or -1. */
  private static int lastEndedBefore(long[] ended, long time) {
    int lo = 0;
    int hi = ended.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (ended[mid] < time) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
