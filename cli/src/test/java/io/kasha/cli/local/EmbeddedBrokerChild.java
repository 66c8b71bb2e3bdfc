package io.kasha.cli.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link EmbeddedBrokerIT} in a child JVM that the test then kills: starts a broker on
 * {@code args[0]}, creates topic {@code args[1]}, commits one record in a transaction, leaves a second
 * transaction open, prints {@code READY <bootstrap>} and waits to be killed.
 */
public final class EmbeddedBrokerChild {

  static final String COMMITTED = "committed-before-kill";
  static final String OPEN = "open-at-kill";
  static final String TRANSACTIONAL_ID = "child-tx";

  private EmbeddedBrokerChild() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String topic = args[1];
    EmbeddedBroker broker = EmbeddedBroker.start(dir);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
      ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
      ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
      ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    producer.initTransactions();
    producer.beginTransaction();
    producer.send(new ProducerRecord<>(topic, "k", COMMITTED)).get();
    producer.commitTransaction();
    producer.beginTransaction();
    producer.send(new ProducerRecord<>(topic, "k", OPEN)).get();
    producer.flush();
    System.out.println("READY " + broker.bootstrapServers());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
