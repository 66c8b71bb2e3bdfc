package io.kasha.cli;

import io.kasha.checkpoint.CheckpointStore;
import io.kasha.checkpoint.DirectoryCheckpointStore;
import io.kasha.checkpoint.S3CheckpointStore;
import io.kasha.checkpoint.S3Location;
import io.kasha.checkpoint.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where a runner keeps its checkpoints: a directory every runner sees at the same path (the default),
 * or a bucket of AWS S3 or of any server that speaks the S3 API. Bad values are usage errors naming
 * the option and the forms it takes.
 */
final class CheckpointStoreOptions {

  static final String FORMS = "s3://BUCKET[/PREFIX] or file:///PATH";

  @Option(names = "--checkpoint-dir", paramLabel = "DIR", defaultValue = "${env:KASHA_HOME:-.kasha}/checkpoints",
      description = "Shared checkpoint directory, the same path on every runner (default: ${DEFAULT-VALUE}).")
  Path directory;

  @Option(names = "--checkpoint-store", paramLabel = "URI",
      description = {"Where checkpoints live instead: s3://BUCKET[/PREFIX] for AWS S3 or an S3-compatible server "
          + "(credentials from the AWS SDK's default chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
          + "AWS_PROFILE, a container or instance role), or file:///PATH for a shared directory."})
  String store;

  @Option(names = "--s3-endpoint", paramLabel = "URL",
      description = "URL of an S3-compatible server (MinIO, Ceph, s3proxy), e.g. http://minio:9000; default: AWS S3.")
  String endpoint;

  @Option(names = "--s3-path-style",
      description = "Address the bucket in the URL's path, not its host name (most S3-compatible servers want this).")
  boolean pathStyle;

  @Option(names = "--s3-region", paramLabel = "REGION",
      description = "Signing region (default: AWS_REGION or the profile's, else " + S3Settings.FALLBACK_REGION + ").")
  String region;

  @Option(names = "--checkpoint-cache", paramLabel = "DIR",
      description = "With an s3:// store: where this runner keeps the checkpoints being written and downloaded, in a "
          + "directory of its own deleted when it stops (default: the system's temporary directory).")
  Path cache;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * Opens the chosen store; an {@link S3CheckpointStore} is {@link AutoCloseable} and is closed by the caller.
   *
   * @throws ParameterException naming the option that is wrong and what it takes
   */
  CheckpointStore open() throws IOException {
    if (store == null) {
      refuseS3Options("a shared directory (--checkpoint-dir)");
      return new DirectoryCheckpointStore(directory);
    }
    if (command.commandLine().getParseResult().hasMatchedOption("--checkpoint-dir")) {
      throw usage("--checkpoint-store: give it or --checkpoint-dir, not both");
    }
    final URI uri;
    try {
      uri = new URI(store);
    } catch (URISyntaxException e) {
      // a text with a user part is not echoed: it may hold a secret
      throw usage("--checkpoint-store: " + (store.contains("@") ? "that" : "'" + store + "'") + " is not a URI ("
          + e.getReason() + "); use " + FORMS);
    }
    final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "s3" -> s3(uri);
      case "file" -> {
        refuseS3Options("a file:// store");
        yield new DirectoryCheckpointStore(directory(uri));
      }
      default -> throw usage("--checkpoint-store: " + (uri.getRawUserInfo() == null ? "'" + store + "'" : "that URI")
          + " is not a store a runner knows; use " + FORMS);
    };
  }

  private CheckpointStore s3(final URI uri) throws IOException {
    final S3Location location;
    try {
      location = S3Location.parse(uri);
    } catch (IllegalArgumentException e) {
      throw usage("--checkpoint-store: " + e.getMessage());
    }
    S3Settings settings = S3Settings.defaults().withPathStyle(pathStyle);
    if (endpoint != null) {
      try {
        settings = settings.withEndpoint(new URI(endpoint));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw usage("--s3-endpoint: " + (e instanceof URISyntaxException ? "not a URL" : e.getMessage()));
      }
    }
    if (region != null) {
      try {
        settings = settings.withRegion(region);
      } catch (IllegalArgumentException e) {
        throw usage("--s3-region: " + e.getMessage());
      }
    }
    return new S3CheckpointStore(location, settings,
        cache != null ? cache : Path.of(System.getProperty("java.io.tmpdir")));
  }

  private Path directory(final URI uri) {
    if (uri.isOpaque() || uri.getRawAuthority() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
        || uri.getPath() == null || uri.getPath().isEmpty()) {
      throw usage("--checkpoint-store: '" + store + "' is not a local directory; use file:///PATH (three slashes)");
    }
    return Path.of(uri.getPath());
  }

  private void refuseS3Options(final String chosen) {
    final String given = endpoint != null ? "--s3-endpoint" : pathStyle ? "--s3-path-style" : region != null
        ? "--s3-region" : cache != null ? "--checkpoint-cache" : null;
    if (given != null) {
      throw usage(given + ": only for an s3:// --checkpoint-store; this runner uses " + chosen);
    }
  }

  private ParameterException usage(final String message) {
    return new ParameterException(command.commandLine(), message);
  }
}
