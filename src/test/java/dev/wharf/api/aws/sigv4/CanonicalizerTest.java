package dev.wharf.api.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalizerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''|/",
        "/|/",
        "/a/b|/a/b",
        "/a/./b/../c|/a/c",
        "/a/b/..|/a",
        "/a/b/../|/a/",
        "//a//b//|/a/b/",
        "/../..|/",
        "/a b/|/a%20b/",
        "/%20/|/%2520/",
        "/pkg%40scope%2Fname|/pkg%2540scope%252Fname",
        "/a+b:c*d|/a%2Bb%3Ac%2Ad",
        "/~-._|/~-._",
        "/ሴ|/%E1%88%B4",
        "/..a/.b/...|/..a/.b/..."
    })
    void the_canonical_uri_is_the_normalized_path_encoded_once_more(String rawPath, String expected) {
        StringBuilder out = new StringBuilder();

        Canonicalizer.appendCanonicalUri(out, rawPath);

        assertThat(out).hasToString(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "b=2&a=1|a=1&b=2",
        "a=2&a=1&a=10|a=1&a=10&a=2",
        "a-b=1&a=2|a=2&a-b=1",
        "flag&x=|flag=&x=",
        "a=1&&b=2&|a=1&b=2",
        "k=a%20b&k2=a+b|k=a%20b&k2=a%2Bb",
        "k=%7e%2a%41|k=~%2AA",
        "k=%zz&j=100%|j=100%25&k=%25zz",
        "ሴ=bar|%E1%88%B4=bar",
        "X-Amz-Signature=abc&a=1|a=1"
    })
    void the_canonical_query_is_sorted_by_encoded_name_then_value(String rawQuery, String expected) {
        StringBuilder out = new StringBuilder();

        Canonicalizer.appendCanonicalQuery(out, Canonicalizer.parseQuery(rawQuery), "X-Amz-Signature");

        assertThat(out).hasToString(expected);
    }

    @Test
    void canonical_headers_are_trimmed_collapsed_and_joined_in_arrival_order() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of("example.com:8443"));
        headers.put("my-header", List.of("  a   b\t c  ", "second", " third "));
        headers.put("empty", List.of(""));
        StringBuilder out = new StringBuilder();

        Canonicalizer.appendCanonicalHeaders(out, List.of("empty", "host", "my-header", "absent"), headers);

        assertThat(out).hasToString("empty:\nhost:example.com:8443\nmy-header:a b c,second,third\nabsent:\n");
    }

    @Test
    void percent_decoding_rejects_malformed_escapes_and_keeps_plus_signs() {
        assertThat(Canonicalizer.percentDecode("AKID%2F20260101%2Fus-east-1")).isEqualTo("AKID/20260101/us-east-1");
        assertThat(Canonicalizer.percentDecode("a+b%2Bc")).isEqualTo("a+b+c");
        assertThat(Canonicalizer.percentDecode("%E1%88%B4")).isEqualTo("ሴ");
        assertThat(Canonicalizer.percentDecode("%zz")).isNull();
        assertThat(Canonicalizer.percentDecode("%4")).isNull();
        assertThat(Canonicalizer.percentDecode("%FF")).isNull();
    }
}
