package io.kasha.schemas;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The Kasha topics under one name prefix (default {@value #DEFAULT_PREFIX}). The studies and
 * trial-reports topics must be co-partitioned: same partition count, keyed by study id. The
 * study-status topic is compacted: it keeps each study's latest lifecycle event (accepted, then
 * completed), so a runner that starts late reads every study that has ended from it.
 */
public record Topics(
    Topic<String, StudyCommand> studies,
    Topic<String, TrialReport> trialReports,
    Topic<String, TrialJob> trialJobs,
    Topic<String, StudyEvent> studyEvents,
    Topic<String, StudyEvent> studyStatus) {

  public static final String DEFAULT_PREFIX = "kasha.";

  public static Topics withPrefix(final String prefix) {
    final Serde<String> key = Serdes.String();
    return new Topics(
        new Topic<>(prefix + "studies", key, AvroSerde.of(StudyCommand.class)),
        new Topic<>(prefix + "trial-reports", key, AvroSerde.of(TrialReport.class)),
        new Topic<>(prefix + "trial-jobs", key, AvroSerde.of(TrialJob.class)),
        new Topic<>(prefix + "study-events", key, AvroSerde.of(StudyEvent.class)),
        new Topic<>(prefix + "study-status", key, AvroSerde.of(StudyEvent.class)));
  }

  public static Topics defaults() {
    return withPrefix(DEFAULT_PREFIX);
  }

  public List<String> names() {
    return List.of(studies.name(), trialReports.name(), trialJobs.name(), studyEvents.name(), studyStatus.name());
  }
}
