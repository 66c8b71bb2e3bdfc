package io.kasha.runner;

import io.kasha.schemas.TrialReport;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes reports to the trial-reports topic, keyed by study id, through one idempotent producer
 * shared by the slots. Reports of one study go to one partition in the order they were sent, so
 * once a job's final report is acknowledged, so are its earlier ones.
 */
final class ReportPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(ReportPublisher.class);

  private final Producer<String, TrialReport> producer;
  private final String topic;

  ReportPublisher(final Producer<String, TrialReport> producer, final String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** Sends {@code report}; the future completes once the broker has acknowledged it. */
  CompletableFuture<RecordMetadata> publish(final TrialReport report) {
    final CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
    try {
      producer.send(new ProducerRecord<>(topic, report.getStudyId(), report), (metadata, error) -> {
        if (error == null) {
          acknowledged.complete(metadata);
        } else {
          LOG.warn("job {}: cannot publish its {} report: {}", report.getJobId(), report.getKind(), error.toString());
          acknowledged.completeExceptionally(error);
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("job {}: cannot publish its {} report: {}", report.getJobId(), report.getKind(), e.toString());
      acknowledged.completeExceptionally(e);
    }
    return acknowledged;
  }

  /** Sends {@code report} without waiting: for STARTED and PROGRESS reports. */
  void publishLater(final TrialReport report) {
    publish(report);
  }
}
