package io.kasha.runner;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a share consumer's Kafka metrics ({@link ShareConsumer#metrics()}) to a Micrometer registry.
 * Micrometer binds producers, consumers, admin clients and Kafka Streams ({@code KafkaClientMetrics},
 * {@code KafkaStreamsMetrics}) but has no binder for share consumers, so this one follows the names
 * Micrometer's give: {@code kafka.<group without -metrics>.<name>} ({@code
 * kafka_consumer_share_fetch_manager_records_consumed_total} in Prometheus), the Kafka metric's tags
 * plus {@code kafka.version}, a function counter for a cumulative {@code -total} metric and a gauge for
 * the rest. Of the metrics sharing a name, only those with the most tags are kept (Kafka gives some
 * both per topic and overall; Prometheus needs one set of labels per name), and the app-info group,
 * which holds text, is left out, as Micrometer's binders do.
 *
 * <p>A consumer adds metrics as it subscribes and fetches: {@link #refresh} binds the new ones (the
 * runner calls it after each poll, cheaply); {@link #close} removes every meter of this consumer, so a
 * closed consumer leaves no stale series. Thread-safe.
 */
final class ShareConsumerMetrics implements MeterBinder, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ShareConsumerMetrics.class);
  private static final String APP_INFO = "app-info";
  private static final String METRICS_COUNT = "kafka-metrics-count";

  private final Supplier<Map<MetricName, ? extends Metric>> metrics;
  private final Map<MetricName, Meter> bound = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;
  private volatile int seen = -1;

  ShareConsumerMetrics(final ShareConsumer<?, ?> consumer) {
    this.metrics = consumer::metrics;
  }

  @Override
  public void bindTo(final MeterRegistry registry) {
    this.registry = registry;
    refresh();
  }

  /**
   * Binds the consumer's metrics added since the last call; cheap when there are none. Never throws: the
   * meters must not stop a slot.
   */
  synchronized void refresh() {
    final MeterRegistry target = registry;
    if (target == null || metrics.get().size() == seen) {
      return;
    }
    try {
      bind(target, new HashMap<>(metrics.get()));
    } catch (RuntimeException e) {
      LOG.warn("cannot bind the metrics of a share consumer: {}", e.toString());
    }
  }

  /** {@code current}: a copy, as the consumer's own threads add metrics meanwhile. */
  private void bind(final MeterRegistry target, final Map<MetricName, Metric> current) {
    seen = current.size();
    final Map<String, Set<String>> tagKeys = new HashMap<>();
    current.keySet().forEach(name -> tagKeys.merge(meterName(name), name.tags().keySet(), ShareConsumerMetrics::wider));
    bound.entrySet().removeIf(meter -> {
      final boolean outdone = !meter.getKey().tags().keySet().equals(tagKeys.get(meterName(meter.getKey())));
      if (outdone) {
        target.remove(meter.getValue());
      }
      return outdone;
    });
    for (final Map.Entry<MetricName, Metric> entry : current.entrySet()) {
      final MetricName name = entry.getKey();
      if (!bound.containsKey(name) && !name.group().equals(APP_INFO) && !name.group().equals(METRICS_COUNT)
          && entry.getValue().metricValue() instanceof Number
          && name.tags().keySet().equals(tagKeys.get(meterName(name)))) {
        bound.put(name, register(target, name, entry.getValue()));
      }
    }
  }

  /** Of two sets of tag keys for one name, the one kept: the larger; of two as large, the first in order. */
  private static Set<String> wider(final Set<String> a, final Set<String> b) {
    if (a.size() != b.size()) {
      return a.size() > b.size() ? a : b;
    }
    return new TreeSet<>(a).toString().compareTo(new TreeSet<>(b).toString()) <= 0 ? a : b;
  }

  private static Meter register(final MeterRegistry registry, final MetricName name, final Metric metric) {
    final List<Tag> tags = new ArrayList<>();
    new TreeSet<>(name.tags().keySet()).forEach(key -> tags.add(Tag.of(key, name.tags().get(key))));
    tags.add(Tag.of("kafka.version", AppInfoParser.getVersion()));
    final String meterName = meterName(name);
    if (name.name().endsWith("-total")) {
      return FunctionCounter.builder(meterName, metric, ShareConsumerMetrics::value)
          .tags(tags).description(name.description()).register(registry);
    }
    return Gauge.builder(meterName, metric, ShareConsumerMetrics::value)
        .tags(tags).description(name.description()).register(registry);
  }

  /** Micrometer's name for a Kafka metric: {@code kafka.consumer.share.fetch.manager.records.consumed.total}. */
  static String meterName(final MetricName name) {
    final String group = name.group().replace("-metrics", "");
    return ("kafka." + group + "." + name.name()).replace('-', '.').toLowerCase(Locale.ROOT);
  }

  private static double value(final Metric metric) {
    return metric.metricValue() instanceof Number number ? number.doubleValue() : Double.NaN;
  }

  /** The names bound so far, for tests. */
  Set<String> boundNames() {
    final Set<String> names = new TreeSet<>();
    bound.values().forEach(meter -> names.add(meter.getId().getName()));
    return names;
  }

  @Override
  public synchronized void close() {
    final MeterRegistry target = registry;
    if (target != null) {
      bound.values().forEach(target::remove);
    }
    bound.clear();
    seen = -1;
  }
}
