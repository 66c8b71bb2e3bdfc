package io.kasha.cli;

import io.kasha.schemas.StudyAction;
import io.kasha.schemas.StudyCommand;
import io.kasha.schemas.StudySpec;
import io.kasha.schemas.Topics;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes study commands to the studies topic, keyed by study id. */
public final class StudyCommands {

  private StudyCommands() {}

  public static void create(final String bootstrap, final Topics topics, final String studyId, final StudySpec spec)
      throws ExecutionException, InterruptedException {
    send(bootstrap, topics, StudyCommand.newBuilder().setStudyId(studyId).setAction(StudyAction.CREATE)
        .setSpec(spec).build());
  }

  public static void stop(final String bootstrap, final Topics topics, final String studyId, final String reason)
      throws ExecutionException, InterruptedException {
    send(bootstrap, topics, StudyCommand.newBuilder().setStudyId(studyId).setAction(StudyAction.STOP)
        .setReason(reason).build());
  }

  /**
   * Asks the scheduler to raise a running study's budgets; a null budget stays as it is. The
   * scheduler refuses a lower budget with an extend-rejected event.
   */
  public static void extend(final String bootstrap, final Topics topics, final String studyId,
      final Integer maxTrials, final Long maxDurationMs, final String reason)
      throws ExecutionException, InterruptedException {
    send(bootstrap, topics, StudyCommand.newBuilder().setStudyId(studyId).setAction(StudyAction.EXTEND)
        .setMaxTrials(maxTrials).setMaxDurationMs(maxDurationMs).setReason(reason).build());
  }

  private static void send(final String bootstrap, final Topics topics, final StudyCommand command)
      throws ExecutionException, InterruptedException {
    final Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, StudyCommand> producer = new KafkaProducer<>(config,
        topics.studies().keySerde().serializer(), topics.studies().valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topics.studies().name(), command.getStudyId(), command)).get();
    }
  }

  /**
   * A study id from the study's name and the time in base 36 milliseconds ({@code quickstart-mhx2k9a1}):
   * short, unique on one machine, and sorting in submission order.
   */
  public static String newStudyId(final String name) {
    final String base = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    return base + "-" + Long.toString(System.currentTimeMillis(), 36);
  }
}
