package io.kasha.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3LocationTest {

  @Test
  void readsABucketWithOrWithoutAPrefix() {
    assertThat(S3Location.parse(URI.create("s3://ckpt"))).isEqualTo(new S3Location("ckpt", ""));
    assertThat(S3Location.parse(URI.create("s3://ckpt/"))).isEqualTo(new S3Location("ckpt", ""));
    assertThat(S3Location.parse(URI.create("s3://my.bucket-1/team/kasha/")))
        .isEqualTo(new S3Location("my.bucket-1", "team/kasha"));
  }

  @Test
  void namesCheckpointsUnderItsPrefix() {
    final S3Location location = new S3Location("ckpt", "team/kasha");

    final String key = location.checkpointKey("study-1", "trial-7", 9);

    assertThat(key).isEqualTo("team/kasha/study-1/trial-7/9/");
    assertThat(location.uri(key)).hasToString("s3://ckpt/team/kasha/study-1/trial-7/9/");
    assertThat(location.checkpointKeyOf(location.uri(key))).hasValue(key);
    assertThat(location.checkpointKeyOf(URI.create("s3://ckpt/team/kasha/study-1/trial-7/9"))).hasValue(key);
    assertThat(new S3Location("ckpt", "").checkpointKey("s", "t", 0)).isEqualTo("s/t/0/");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "file:///tmp/ckpt/s/t/1/", "s3://other/team/kasha/s/t/1/", "s3://ckpt/team/s/t/1/",
      "s3://ckpt/team/kasha2/s/t/1/", "s3://ckpt/team/kasha/s/t/", "s3://ckpt/team/kasha/s/t/1/x/",
      "s3://ckpt/team/kasha/../kasha/s/t/1/", "s3://ckpt/team/kasha/s/../t/1/", "s3://ckpt/team/kasha/s/%2e%2e/1/",
      "s3://ckpt/team/kasha/s/t/one/", "s3://ckpt/team/kasha/s/t/-1/", "s3://ckpt/team/kasha/s/t/01/",
      "s3://ckpt/team/kasha/s/t/1/?versionId=2", "s3://ckpt/team/kasha/.hidden/t/1/", "s3://ckpt/team/kasha//t/1/",
      "s3://ckpt/team/kasha/s/t%2Fx/1/", "s3:ckpt/team/kasha/s/t/1"})
  void knowsNoKeyForAUriItCannotHaveMade(final String uri) {
    assertThat(new S3Location("ckpt", "team/kasha").checkpointKeyOf(URI.create(uri))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3://", "s3:///prefix", "s3://UPPER/p", "s3://ab/p", "s3://b_u/p", "s3://ckpt/a//b",
      "s3://ckpt/a/../b", "s3://ckpt/./a", "s3://ckpt/a/.b", "s3://ckpt/a%20b", "s3://ckpt/p?x=1", "s3://ckpt:9000/p",
      "http://ckpt/p", "s3:ckpt", "s3://ckpt/a b", "ckpt/prefix"})
  void refusesWhatIsNotABucketAndAPrefixNamingTheForms(final String uri) {
    assertThatThrownBy(() -> S3Location.parse(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(S3Location.FORMS);
  }

  @Test
  void neverEchoesAUserPartThatMayHoldASecret() {
    assertThatThrownBy(() -> S3Location.parse("s3://AKIDEXAMPLE:wJalrXUtnFEMI@ckpt/p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials come from the environment")
        .hasMessageNotContaining("wJalrXUtnFEMI")
        .hasMessageNotContaining("AKIDEXAMPLE");
  }
}
