package io.kasha.checkpoint;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.filesystem.FilesystemApiMetadata;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API server in the test JVM: s3proxy over a jclouds filesystem or in-memory store, on a
 * free loopback port, path-style, with AWS signature checks against fixed test credentials.
 */
public final class S3TestServer implements AutoCloseable {

  public static final String ACCESS_KEY = "kasha-test-access-key";
  public static final String SECRET_KEY = "kasha-test-secret-4f9c2d1e8b7a";
  public static final String REGION = "us-east-1";

  private final BlobStoreContext blobs;
  private final S3Proxy proxy;
  private final S3Client client;

  private S3TestServer(final BlobStoreContext blobs, final S3Proxy proxy) {
    this.blobs = blobs;
    this.proxy = proxy;
    this.client = S3Client.builder()
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(credentials())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** Starts a server keeping its buckets in files under {@code dir}. */
  public static S3TestServer start(final Path dir) throws Exception {
    final Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
    return start(ContextBuilder.newBuilder(new FilesystemApiMetadata()).overrides(properties)
        .build(BlobStoreContext.class));
  }

  /**
   * Starts a server keeping its buckets on the heap: for many objects, which the filesystem store
   * deletes in time that grows with the square of a directory's size.
   */
  public static S3TestServer startInMemory() throws Exception {
    return start(ContextBuilder.newBuilder(new TransientApiMetadata()).build(BlobStoreContext.class));
  }

  private static S3TestServer start(final BlobStoreContext blobs) throws Exception {
    final S3Proxy proxy = S3Proxy.builder()
        .blobStore(blobs.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        // as S3 and most servers do; 2.6.0 would refuse the SDK's x-amz-mp-object-size
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    return new S3TestServer(blobs, proxy);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  /** Store settings for this server: its endpoint, path-style, the test credentials, 5 MiB parts. */
  public S3Settings settings() {
    return S3Settings.defaults().withEndpoint(endpoint()).withPathStyle(true).withRegion(REGION)
        .withCredentials(credentials()).withPartSize(S3Settings.MIN_PART_SIZE);
  }

  public void createBucket(final String bucket) {
    client.createBucket(create -> create.bucket(bucket));
  }

  /** A client of its own, for tests to look at and to tamper with the bucket. */
  public S3Client client() {
    return client;
  }

  /** Every key in {@code bucket} under {@code prefix}, sorted. */
  public List<String> keys(final String bucket, final String prefix) {
    return client.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().stream()
        .map(S3Object::key).sorted().toList();
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
    blobs.close();
  }
}
