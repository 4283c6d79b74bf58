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
 */
final class History {

  /** After a fault: the circuit breakers' open period (1 s) and the time it takes a probe to close them. */
  static final long GRACE_NANOS = 2_000_000_000L;

  private record Op(boolean write, int account, long began, long ended, long version) {}

  private record Window(long from, long to) {}

  /**
   * What the check found; {@code examples}: a few stale reads, each with the write it missed;
   * {@code excusedByFault}: per fault, how many reads were excused and how long after Redis
   * answered again the last of them began.
   */
  record Verdict(int reads, int writes, int excused, List<String> stale, List<String> examples, List<String> excusedByFault) {
    @Override
    public String toString() {
      return reads + " reads and " + writes + " writes checked, " + stale.size() + " stale, " + excused
          + " stale but excused (a write they missed overlapped a fault" + (excused == 0 ? "" : ": " + excusedByFault) + ")";
    }
  }

  private final List<Op> ops = new ArrayList<>();
  private final List<Window> faults = new ArrayList<>();
  private long faultBegan;

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
    for (Op read : ops) {
      if (read.write) {
        continue;
      }
      reads++;
      long[][] p = prefix.get(read.account);
      int last = p == null ? -1 : lastEndedBefore(p[0], read.began);
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
    return new Verdict(reads, writes, excused, stale, stale.subList(0, Math.min(5, stale.size())), byFault);
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
