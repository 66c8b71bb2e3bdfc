package io.kasha.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share-group configuration runners rely on, set on the group (not the clients) with {@link
 * Admin#incrementalAlterConfigs}:
 *
 * <ul>
 *   <li>{@code share.auto.offset.reset=earliest}: jobs published before the first runner joined are
 *       delivered too;
 *   <li>{@code share.isolation.level=read_committed}: a job from an aborted scheduler transaction is
 *       never delivered;
 *   <li>{@code share.renew.acknowledge.enable=true}: running jobs can renew their acquisition locks.
 * </ul>
 *
 * Idempotent: only the settings that differ are written, so runners without the right to alter the
 * group start fine once an operator has set them.
 */
public final class ShareGroupSettings {

  public static final Map<String, String> REQUIRED = requiredSettings();

  private static final Logger LOG = LoggerFactory.getLogger(ShareGroupSettings.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private ShareGroupSettings() {}

  /** Sets what differs from {@link #REQUIRED} on {@code groupId}; logs a warning if it cannot. */
  public static void ensure(final Admin admin, final String groupId) throws InterruptedException {
    final ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
    final Map<String, String> current = describe(admin, group);
    final List<AlterConfigOp> changes = new ArrayList<>();
    REQUIRED.forEach((name, value) -> {
      if (!value.equals(current.get(name))) {
        changes.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
      }
    });
    if (changes.isEmpty()) {
      return;
    }
    try {
      admin.incrementalAlterConfigs(Map.of(group, changes)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("share group {}: set {}", groupId,
          changes.stream().map(op -> op.configEntry().name() + "=" + op.configEntry().value()).toList());
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("share group {}: cannot set {} ({}); jobs may be missed or locks lost unless an operator sets them",
          groupId, REQUIRED, (e instanceof ExecutionException ? e.getCause() : e).toString());
    }
  }

  private static Map<String, String> describe(final Admin admin, final ConfigResource group)
      throws InterruptedException {
    final Map<String, String> values = new LinkedHashMap<>();
    try {
      final Config config = admin.describeConfigs(List.of(group)).all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(group);
      if (config != null) {
        config.entries().forEach(entry -> values.put(entry.name(), entry.value()));
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("share group {}: cannot describe its configuration: {}", group.name(), e.toString());
    }
    return values;
  }

  private static Map<String, String> requiredSettings() {
    final Map<String, String> settings = new LinkedHashMap<>();
    settings.put("share.auto.offset.reset", "earliest");
    settings.put("share.isolation.level", "read_committed");
    settings.put("share.renew.acknowledge.enable", "true");
    return Map.copyOf(settings);
  }
}
