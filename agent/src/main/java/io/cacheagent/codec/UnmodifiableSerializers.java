package io.cacheagent.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.cacheagent.jdk.Immutable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kryo serializers for {@code Collections.unmodifiable*}. On Java 17 their fields cannot be read
 * reflectively, and Kryo's generic collection serializer would instantiate an empty view that
 * rejects every add. They are written as their contents and read back as an unmodifiable view of
 * a fresh collection of the same kind (list, set, sorted set, collection, map, sorted map).
 */
final class UnmodifiableSerializers {

  private UnmodifiableSerializers() {}

  static void register(Kryo kryo) {
    kryo.addDefaultSerializer(Collections.unmodifiableCollection(Immutable.listOf()).getClass(), new CollectionView());
    kryo.addDefaultSerializer(Collections.unmodifiableMap(Immutable.mapOf()).getClass(), new MapView());
  }

  private static final class CollectionView extends Serializer<Collection<Object>> {
    private static final byte LIST = 0;
    private static final byte SET = 1;
    private static final byte SORTED_SET = 2;
    private static final byte COLLECTION = 3;

    @Override
    public void write(Kryo kryo, Output output, Collection<Object> view) {
      byte kind = view instanceof List ? LIST : view instanceof SortedSet ? SORTED_SET : view instanceof Set ? SET : COLLECTION;
      output.writeByte(kind);
      if (kind == SORTED_SET) {
        kryo.writeClassAndObject(output, ((SortedSet<Object>) view).comparator());
      }
      output.writeVarInt(view.size(), true);
      for (Object element : view) {
        kryo.writeClassAndObject(output, element);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
      byte kind = input.readByte();
      Comparator<Object> comparator = kind == SORTED_SET ? (Comparator<Object>) kryo.readClassAndObject(input) : null;
      int size = input.readVarInt(true);
      Collection<Object> target;
      switch (kind) {
        case LIST:
          target = new ArrayList<>(size);
          break;
        case SET:
          target = new LinkedHashSet<>();
          break;
        case SORTED_SET:
          target = new TreeSet<>(comparator);
          break;
        default:
          target = new ArrayList<>(size);
      }
      for (int i = 0; i < size; i++) {
        target.add(kryo.readClassAndObject(input));
      }
      switch (kind) {
        case LIST:
          return Collections.unmodifiableList((List<Object>) target);
        case SET:
          return Collections.unmodifiableSet((Set<Object>) target);
        case SORTED_SET:
          return Collections.unmodifiableSortedSet((SortedSet<Object>) target);
        default:
          return Collections.unmodifiableCollection(target);
      }
    }
  }

  private static final class MapView extends Serializer<Map<Object, Object>> {
    @Override
    public void write(Kryo kryo, Output output, Map<Object, Object> view) {
      boolean sorted = view instanceof SortedMap;
      output.writeBoolean(sorted);
      if (sorted) {
        kryo.writeClassAndObject(output, ((SortedMap<Object, Object>) view).comparator());
      }
      output.writeVarInt(view.size(), true);
      for (Map.Entry<Object, Object> entry : view.entrySet()) {
        kryo.writeClassAndObject(output, entry.getKey());
        kryo.writeClassAndObject(output, entry.getValue());
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      boolean sorted = input.readBoolean();
      Comparator<Object> comparator = sorted ? (Comparator<Object>) kryo.readClassAndObject(input) : null;
      int size = input.readVarInt(true);
      Map<Object, Object> target = sorted ? new TreeMap<>(comparator) : new LinkedHashMap<>();
      for (int i = 0; i < size; i++) {
        target.put(kryo.readClassAndObject(input), kryo.readClassAndObject(input));
      }
      return sorted ? Collections.unmodifiableSortedMap((SortedMap<Object, Object>) target) : Collections.unmodifiableMap(target);
    }
  }
}
