package dev.qtune.compiler.lower;

import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.ReshapeNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The static memory plan of a lowered graph at batch 1: every intermediate value gets an offset in
 * one arena, and values whose lifetimes do not overlap share bytes (greedy first fit in node
 * order). Views (a Flatten or Reshape that does not move data) share their input's buffer; the
 * graph input and output live in the caller's buffers.
 */
public record MemoryPlan(
        Map<String, TensorStorage> storage, Map<String, String> viewOf, Map<String, Long> offsets, long arenaBytes) {
    /** Buffer alignment in bytes (a cache line, and a whole AVX-512 vector). */
    public static final int ALIGN = 64;

    public MemoryPlan {
        storage = Map.copyOf(storage);
        viewOf = Map.copyOf(viewOf);
        offsets = Map.copyOf(offsets);
    }

    /** Whether a node only renames its input's bytes: fp32 reshapes, and integer ones of a single pixel. */
    public static boolean isView(Node n, Map<String, TensorStorage> storage) {
        if (!(n instanceof FlattenNode || n instanceof ReshapeNode || n instanceof IdentityNode)) {
            return false;
        }
        TensorStorage in = storage.get(n.inputs().get(0));
        return !in.isInteger() || in.spatial() == 1;
    }

    /** The value whose buffer holds {@code value} (itself unless it is a view). */
    public String root(String value) {
        String v = value;
        while (viewOf.containsKey(v)) {
            v = viewOf.get(v);
        }
        return v;
    }

    public static MemoryPlan plan(Graph g) {
        Map<String, TensorStorage> storage = new HashMap<>();
        g.inputs().forEach(in -> storage.put(in.name(), TensorStorage.of(in.type())));
        for (Node n : g.nodes()) {
            for (String o : n.outputs()) {
                storage.put(o, TensorStorage.of(g.type(o)));
            }
        }
        Map<String, String> viewOf = new HashMap<>();
        for (Node n : g.nodes()) {
            if (isView(n, storage)) {
                viewOf.put(n.outputs().get(0), n.inputs().get(0));
            }
        }
        MemoryPlan partial = new MemoryPlan(storage, viewOf, Map.of(), 0);
        return partial.assign(g);
    }

    private MemoryPlan assign(Graph g) {
        List<Node> nodes = g.nodes();
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                if (!in.isEmpty() && !g.isInitializer(in)) {
                    lastUse.merge(root(in), i, Math::max);
                }
            }
        }
        Set<String> external = new HashSet<>();
        g.inputs().forEach(v -> external.add(v.name()));
        g.outputs().forEach(v -> external.add(root(v.name())));
        record Live(String value, long offset, long size, int end) {}
        List<Live> live = new ArrayList<>();
        Map<String, Long> offsets = new LinkedHashMap<>();
        long arena = 0;
        for (int i = 0; i < nodes.size(); i++) {
            final int now = i;
            live.removeIf(l -> l.end < now);
            for (String out : nodes.get(i).outputs()) {
                if (viewOf.containsKey(out) || external.contains(out)) {
                    continue;
                }
                long size = roundUp(storage.get(out).bytes());
                live.sort(Comparator.comparingLong(Live::offset));
                long at = 0;
                for (Live l : live) {
                    if (l.offset - at >= size) {
                        break;
                    }
                    at = Math.max(at, l.offset + l.size);
                }
                offsets.put(out, at);
                live.add(new Live(out, at, size, lastUse.getOrDefault(out, i)));
                arena = Math.max(arena, at + size);
            }
        }
        return new MemoryPlan(storage, viewOf, offsets, arena);
    }

    private static long roundUp(long v) {
        return Math.max(ALIGN, (v + ALIGN - 1) / ALIGN * ALIGN);
    }
}
