package io.kasha.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryOrderedStoreTest {

  private final InMemoryOrderedStore store = new InMemoryOrderedStore();

  @Test
  void ordersKeysAsUnsignedBytes() {
    // given a key with a high byte, which is negative as a signed Java byte
    store.put(bytes(0x01), bytes(1));
    store.put(bytes(0xFF), bytes(2));
    store.put(bytes(0x7F), bytes(3));
    // when
    final OrderedStore.Entry first = store.first(bytes(0x00), bytes(0xFF, 0xFF));
    final OrderedStore.Entry last = store.last(bytes(0x00), bytes(0xFF, 0xFF));
    // then
    assertThat(first.key()).containsExactly(bytes(0x01));
    assertThat(last.key()).containsExactly(bytes(0xFF));
  }

  @Test
  void rangesIncludeTheirStartAndExcludeTheirEnd() {
    // given
    store.put(bytes(1), bytes(1));
    store.put(bytes(2), bytes(2));
    store.put(bytes(3), bytes(3));
    // then
    assertThat(store.first(bytes(2), bytes(3)).key()).containsExactly(bytes(2));
    assertThat(store.last(bytes(2), bytes(3)).key()).containsExactly(bytes(2));
    assertThat(store.last(bytes(1), bytes(3)).key()).containsExactly(bytes(2));
    assertThat(store.first(bytes(1, 0), bytes(9)).key()).containsExactly(bytes(2));
    assertThat(store.first(bytes(4), bytes(9))).isNull();
    assertThat(store.first(bytes(3), bytes(2))).isNull();
  }

  @Test
  void getPutAndDeleteByValueOfTheKeyBytes() {
    // given
    store.put(bytes(7, 7), bytes(42));
    // then
    assertThat(store.get(bytes(7, 7))).containsExactly(bytes(42));
    assertThat(store.size()).isEqualTo(1);
    // when
    store.delete(bytes(7, 7));
    // then
    assertThat(store.get(bytes(7, 7))).isNull();
    assertThat(store.size()).isZero();
  }

  @Test
  void keepsItsOwnCopiesOfKeysAndValues() {
    // given
    final byte[] key = bytes(1);
    final byte[] value = bytes(10);
    store.put(key, value);
    // when the caller changes its arrays afterwards
    key[0] = 9;
    value[0] = 99;
    store.get(bytes(1))[0] = 55;
    // then
    assertThat(store.get(bytes(1))).containsExactly(bytes(10));
  }

  private static byte[] bytes(final int... values) {
    final byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }
}
