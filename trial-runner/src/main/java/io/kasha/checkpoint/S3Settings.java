package io.kasha.checkpoint;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * How an {@link S3CheckpointStore} reaches its object store: AWS S3 itself, or any server that speaks
 * the S3 API (MinIO, Ceph, s3proxy) at an endpoint of its own.
 *
 * @param endpoint the URL of an S3-compatible server; empty for AWS S3
 * @param pathStyle address buckets in the path ({@code http://host/bucket/key}) rather than in the host
 *     name, as most S3-compatible servers want
 * @param region the signing region; empty takes the SDK's region chain ({@code AWS_REGION}, the
 *     profile), then {@value #FALLBACK_REGION}
 * @param credentials where the keys come from: the SDK's default chain ({@code AWS_ACCESS_KEY_ID} and
 *     {@code AWS_SECRET_ACCESS_KEY}, the profile, the container or instance role) unless a caller gives
 *     its own; never printed
 * @param partSize bytes per part of a multipart upload: a larger file is uploaded in parts of this size
 *     (S3 wants at least 5 MiB)
 */
public record S3Settings(
    Optional<URI> endpoint,
    boolean pathStyle,
    Optional<String> region,
    AwsCredentialsProvider credentials,
    long partSize) {

  public static final String FALLBACK_REGION = "us-east-1";
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;

  public S3Settings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(credentials, "credentials");
    endpoint.ifPresent(S3Settings::checkEndpoint);
    if (region.isPresent() && !region.get().matches("[a-z0-9][a-z0-9-]{0,63}")) {
      throw new IllegalArgumentException("region '" + region.get() + "' is not a region name (such as us-east-1)");
    }
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("part size must be at least " + MIN_PART_SIZE + " bytes, got " + partSize);
    }
  }

  /** AWS S3, the region and the credentials from the SDK's chains, 8 MiB parts. */
  public static S3Settings defaults() {
    return new S3Settings(Optional.empty(), false, Optional.empty(), DefaultCredentialsProvider.builder().build(),
        DEFAULT_PART_SIZE);
  }

  public S3Settings withEndpoint(final URI endpoint) {
    return new S3Settings(Optional.of(endpoint), pathStyle, region, credentials, partSize);
  }

  public S3Settings withPathStyle(final boolean pathStyle) {
    return new S3Settings(endpoint, pathStyle, region, credentials, partSize);
  }

  public S3Settings withRegion(final String region) {
    return new S3Settings(endpoint, pathStyle, Optional.of(region), credentials, partSize);
  }

  public S3Settings withCredentials(final AwsCredentialsProvider credentials) {
    return new S3Settings(endpoint, pathStyle, region, credentials, partSize);
  }

  public S3Settings withPartSize(final long partSize) {
    return new S3Settings(endpoint, pathStyle, region, credentials, partSize);
  }

  /**
   * A new client with the SDK's multipart support: uploads and downloads of files larger than a part
   * go in parts, in parallel. Against an endpoint of its own, checksums are sent only where the S3 API
   * requires them, since S3-compatible servers often refuse the newer checksum headers; the store's
   * own manifest checks every file end to end either way.
   */
  S3AsyncClient client() {
    final S3AsyncClientBuilder builder = S3AsyncClient.builder()
        .credentialsProvider(credentials)
        .region(Region.of(region.orElseGet(S3Settings::regionFromChain)))
        .forcePathStyle(pathStyle)
        .multipartEnabled(true)
        .multipartConfiguration(multipart -> multipart.thresholdInBytes(partSize).minimumPartSizeInBytes(partSize));
    endpoint.ifPresent(url -> builder.endpointOverride(url)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
    return builder.build();
  }

  /** The settings, without the credentials. */
  @Override
  public String toString() {
    return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("AWS S3") + ", pathStyle=" + pathStyle
        + ", region=" + region.orElse("from the SDK's chain") + ", partSize=" + partSize + "]";
  }

  private static String regionFromChain() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (SdkClientException e) {
      return FALLBACK_REGION;
    }
  }

  private static void checkEndpoint(final URI endpoint) {
    final String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (endpoint.getRawUserInfo() != null) {
      // not echoed: the user part may hold a secret
      throw new IllegalArgumentException("the endpoint URL has a user part; credentials come from the environment "
          + "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or a profile, never from the URL");
    }
    if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null
        || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null
        || endpoint.getRawPath() != null && !endpoint.getRawPath().isEmpty() && !endpoint.getRawPath().equals("/")) {
      throw new IllegalArgumentException("endpoint '" + endpoint
          + "' is not a server URL; use http://HOST:PORT or https://HOST[:PORT]");
    }
  }
}
